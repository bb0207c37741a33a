/**
 * Variant `tickwire-worker-hooks`: the `usePrice` board (hooksBoard.tsx) with `engine: 'worker'`
 * in the provider's config, beside `tickwire-worker`'s PriceFlash cells on the same engine.
 */
import { startHooksBoard } from './hooksBoard'

startHooksBoard('worker')
