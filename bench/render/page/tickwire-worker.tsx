/**
 * Variant `tickwire-worker`: the `tickwire` board with `engine: 'worker'` in the provider's
 * config: the stream engine runs in a dedicated Worker and the page applies one diff per frame.
 */
import { startPriceFlashBoard } from './priceFlashBoard'

startPriceFlashBoard({ engine: 'worker' })
