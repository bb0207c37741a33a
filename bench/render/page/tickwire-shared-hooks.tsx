/**
 * Variant `tickwire-shared-hooks`: the `usePrice` board (hooksBoard.tsx) with `engine: 'shared'`
 * in the provider's config, beside `tickwire-shared`'s PriceFlash cells on the same engine.
 */
import { startHooksBoard } from './hooksBoard'

startHooksBoard('shared')
