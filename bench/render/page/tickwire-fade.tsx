/** Variant `tickwire-fade`: a connected PriceFlash per cell with `flashStyle="fade"`. */
import { startPriceFlashBoard } from './priceFlashBoard'

startPriceFlashBoard({ flashStyle: 'fade' })
