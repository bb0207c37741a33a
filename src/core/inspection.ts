import type { ConnectionStatus } from './types'

/** One symbol's place in a connection's wanted set, as `inspect().wanted()` reports it. */
export interface WantedCount {
  /** All references (`subscribe` and `subscribePrices`). */
  refs: number
  /** The part of `refs` that `subscribePrices` added. */
  imperative: number
  /** The last reference is gone and the unsubscribe waits for `unsubscribeDelayMs`. */
  pendingRelease: boolean
}

/** One frame as it travelled, for `inspect().onFrame`. */
export interface InspectedFrame {
  connection: string
  direction: 'in' | 'out'
  /** When it was received or written (ms since epoch, the manager's clock). */
  at: number
  /** Text or bytes as on the wire; `null` for an `auth` frame, whose token never leaves the connection. */
  frame: string | Uint8Array | null
}

/** One status change, for `inspect().history()`. */
export interface StatusRecord {
  at: number
  connection: string
  from: ConnectionStatus
  to: ConnectionStatus
  reason?: string
}

/**
 * Read-only views for development tools (`tickwire/devtools`), not for app logic. Costs
 * nothing until used: no frame is handed anywhere while no `onFrame` listener is registered.
 */
export interface StreamInspection {
  /** Every connection's wanted set with its reference counts (a copy). */
  wanted(): Record<string, Record<string, WantedCount>>
  /** Calls `listener` with every frame in and out; returns the undo. */
  onFrame(listener: (frame: InspectedFrame) => void): () => void
  /** The last status changes of every connection since creation, oldest first (at most 200). */
  history(): readonly StatusRecord[]
}
