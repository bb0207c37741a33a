/**
 * The status-toast recipe of docs/recipes/status-toasts.md: a status-change handler that
 * shows one toast per connection once its status has settled, so a flapping connection makes
 * no toast storm. Toast-library agnostic: it calls `show`, which the story wires to sonner.
 */
import type { ConnectionStatus } from '../src/core/types'
import type { StatusChange } from '../src/react'

/** What a user is told about; connecting and idle are not news. */
export type ToastKind = 'reconnecting' | 'live' | 'polling' | 'offline'

/** How long a status must hold before it is announced, in ms. */
export const SETTLE_MS = 1_500

function toastKind(status: ConnectionStatus): ToastKind | undefined {
  switch (status) {
    case 'reconnecting':
      return 'reconnecting'
    case 'open':
      return 'live'
    case 'fallback':
      return 'polling'
    case 'offline':
    case 'closed':
    case 'error':
      return 'offline'
    default:
      return undefined
  }
}

/** A status-change handler with its timers; `dispose()` clears them (on unmount). */
export interface StatusToasts {
  onStatusChange(change: StatusChange): void
  dispose(): void
}

/**
 * Debounce per connection: each change restarts that connection's timer, and only the status
 * it settles on is shown, and only when it differs from the last one shown. The first Live is
 * not news (the page just opened); Live after trouble is ("back live").
 */
export function createStatusToasts(
  show: (connection: string, kind: ToastKind, change: StatusChange) => void,
  settleMs = SETTLE_MS,
): StatusToasts {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  // The last kind shown per connection; a connection starts as if Live had been shown.
  const shown = new Map<string, ToastKind>()
  return {
    onStatusChange(change) {
      const kind = toastKind(change.status)
      if (kind === undefined) return
      clearTimeout(timers.get(change.connection))
      timers.set(
        change.connection,
        setTimeout(() => {
          timers.delete(change.connection)
          if ((shown.get(change.connection) ?? 'live') === kind) return
          shown.set(change.connection, kind)
          show(change.connection, kind, change)
        }, settleMs),
      )
    },
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
  }
}
