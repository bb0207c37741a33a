/**
 * Diagnostic variant `tickwire (usePrice)`: tickwire's provider and `usePrice` hook feeding the
 * same cell as the other React variants (hooksBoard.tsx), on the main-thread engine.
 */
import { startHooksBoard } from './hooksBoard'

startHooksBoard()
