/** Variant `tickwire`: a connected PriceFlash per cell with the default (step) flash. */
import { startPriceFlashBoard } from './priceFlashBoard'

startPriceFlashBoard()
