import { useMemo } from 'react'
import { emptyStats } from '../core/connection/stats'
import { selectConnection } from '../core/prices/store'
import { worstStatus } from '../core/status'
import type { ConnectionInfo, StreamState } from '../core/types'
import { useStreamManager } from './context'
import { useStore } from 'zustand'

/**
 * What a connection looks like before the manager has reported anything (never expected
 * with a started manager, but a named connection may not exist). A module constant, so its
 * identity is stable too.
 */
const UNKNOWN_CONNECTION: ConnectionInfo = Object.freeze({
  status: 'idle',
  attempt: 0,
  fallback: Object.freeze({ active: false }),
  stats: Object.freeze(emptyStats()),
})

/** The info of the connection whose status is worst (the first of them on a tie). */
function selectWorst(state: StreamState): ConnectionInfo {
  const infos = Object.values(state.connections)
  if (infos.length === 0) return UNKNOWN_CONNECTION
  const worst = worstStatus(state.connections)
  return infos.find((info) => info.status === worst) ?? UNKNOWN_CONNECTION
}

/**
 * One connection's info: status, reason, attempt, next retry, latency, fallback and counters.
 * With no name it is the info of the connection in the worst state, so one status pill can
 * stand for an app with several connections.
 *
 * The result is the store's own object: its identity changes only when that connection's
 * info changes.
 *
 * @example
 * ```tsx
 * function Pill() {
 *   const { status, latencyMs, nextRetryAt } = useConnectionStatus()
 *   if (status === 'open') return <span>Live {latencyMs ?? '–'} ms</span>
 *   if (status === 'reconnecting' && nextRetryAt) return <span>Retry at {new Date(nextRetryAt).toLocaleTimeString()}</span>
 *   return <span>{status}</span>
 * }
 * ```
 */
export function useConnectionStatus(connection?: string): ConnectionInfo {
  const manager = useStreamManager('useConnectionStatus')
  const selector = useMemo(() => {
    if (connection === undefined) return selectWorst
    const select = selectConnection(connection)
    return (state: StreamState): ConnectionInfo => select(state) ?? UNKNOWN_CONNECTION
  }, [connection])
  return useStore(manager.store, selector)
}
