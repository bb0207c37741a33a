import { useEffect } from 'react'
import type { StreamManager } from '../core/stream-manager'
import type { ConnectionStatus } from '../core/types'
import { useStreamManager } from './context'
import { useLatest } from './useLatest'

/** What a status-change handler receives: one connection moved from one status to another. */
export interface StatusChange {
  /** Name of the connection that changed. */
  connection: string
  /** Its status before the change. */
  previous: ConnectionStatus
  /** Its status now; never equal to `previous`. */
  status: ConnectionStatus
  /**
   * What caused the change, as `ConnectionInfo.reason` holds it (`server_close:1012`, `manual`,
   * `failures`, `offline`, ...); undefined when the change has no particular cause (an open).
   */
  reason?: string
}

/** A handler of {@link useStatusChange} and of `StreamProvider`'s `onStatusChange`. */
export type StatusChangeHandler = (change: StatusChange) => void

/**
 * Calls the latest `handler` on every status change of `manager`. The listener is added once
 * per manager and reads the handler from a ref, so an inline function never resubscribes.
 * The provider uses this for its own manager, which it cannot read from context; `undefined`
 * (no manager) listens to nothing.
 */
export function useManagerStatusChange(
  manager: StreamManager | undefined,
  handler: StatusChangeHandler | undefined,
): void {
  const latest = useLatest(handler)
  useEffect(
    () =>
      // The manager's `status` event fires once per transition (the connection compares old
      // and new state before emitting), never per frame or per counter update.
      manager?.on('status', (event) => {
        const change: StatusChange = {
          connection: event.connection,
          previous: event.oldState,
          status: event.newState,
        }
        if (event.reason !== undefined) change.reason = event.reason
        latest.current?.(change)
      }),
    [manager, latest],
  )
}

/**
 * Calls `handler` once per real status change of any connection of the nearest
 * `StreamProvider`, with `{ connection, previous, status, reason }`: not per render and not per
 * message. Counter and latency updates are not status changes.
 *
 * The handler may be a new inline function every render: the latest one is kept in a ref and
 * the listener is added once, so changing it never resubscribes and never misses a change. It
 * runs outside React's render, when the change happens, so it may set state or show a toast.
 * Changes that happened before the component mounted are not replayed; read the current status
 * with `useConnectionStatus` for that.
 *
 * @example
 * ```tsx
 * function StatusLog() {
 *   const [lines, setLines] = useState<string[]>([])
 *   useStatusChange(({ connection, previous, status, reason }) =>
 *     setLines((l) => [...l, `${connection}: ${previous} → ${status} (${reason ?? '-'})`]),
 *   )
 *   return <pre>{lines.join('\n')}</pre>
 * }
 * ```
 */
export function useStatusChange(handler: StatusChangeHandler): void {
  useManagerStatusChange(useStreamManager('useStatusChange'), handler)
}
