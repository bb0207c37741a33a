/** Variant `vanilla-fade`: the hand-written page with the fade (`flashStyle="fade"`). */
import { startVanillaBoard } from './vanillaBoard'

startVanillaBoard('fade')
