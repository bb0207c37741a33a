/** Variant `vanilla`: the hand-written page with the step flash (PriceFlash's default). */
import { startVanillaBoard } from './vanillaBoard'

startVanillaBoard('step')
