/**
 * Variant `tickwire-shared`: the `tickwire` board with `engine: 'shared'` in the provider's
 * config: the stream engine runs in a SharedWorker (one per bench page, named after its feed).
 */
import { startPriceFlashBoard } from './priceFlashBoard'

startPriceFlashBoard({ engine: 'shared' })
