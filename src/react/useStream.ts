import { useMemo } from 'react'
import type { SubscribeOptions } from '../core/stream-manager'
import type { StreamManager } from '../core/stream-manager'
import { worstStatus } from '../core/status'
import type { ConnectionInfo, ConnectionStatus, StreamState } from '../core/types'
import { useStreamManager } from './context'
import { useStore } from 'zustand'

/** What {@link useStream} returns. The functions keep their identity for the provider's life. */
export interface UseStreamResult {
  /** Adds one reference per symbol until {@link UseStreamResult.unsubscribePrices} removes it. */
  subscribePrices(symbols: readonly string[], options?: SubscribeOptions): Promise<void>
  /** Removes one reference per symbol that `subscribePrices` added. */
  unsubscribePrices(symbols: readonly string[], options?: SubscribeOptions): Promise<void>
  /** The worst status across connections (`open` only when every connection is open). */
  status: ConnectionStatus
  /** Every connection's info by name, as the store holds it. */
  connections: Record<string, ConnectionInfo>
  /** Reconnects now, skipping any backoff wait; all connections when none is named. */
  reconnect(connection?: string): void
  /** Sends an application message, queued while the socket is not open. */
  send(message: unknown, options?: SubscribeOptions): void
  /** The provider's manager, for anything the hooks do not cover. */
  manager: StreamManager
}

type StreamActions = Pick<
  UseStreamResult,
  'subscribePrices' | 'unsubscribePrices' | 'reconnect' | 'send'
>

const selectConnections = (state: StreamState): Record<string, ConnectionInfo> => state.connections

/**
 * The imperative side of the stream and the state of its connections.
 *
 * The functions are bound once per manager, so they are safe in effect dependencies and in
 * `memo` children. The component re-renders when a connection's info changes (its status,
 * latency or counters), at most once per animation frame; a component that only shows the
 * status should prefer {@link useConnectionStatus}.
 *
 * @example
 * ```tsx
 * function Toolbar() {
 *   const { status, reconnect, subscribePrices, unsubscribePrices } = useStream()
 *   return (
 *     <div>
 *       <span>{status}</span>
 *       <button onClick={() => reconnect()}>Reconnect</button>
 *       <button onClick={() => void subscribePrices(['SOL-USD'])}>Watch SOL</button>
 *       <button onClick={() => void unsubscribePrices(['SOL-USD'])}>Unwatch SOL</button>
 *     </div>
 *   )
 * }
 * ```
 */
export function useStream(): UseStreamResult {
  const manager = useStreamManager('useStream')

  const actions = useMemo<StreamActions>(
    () => ({
      subscribePrices: (symbols, options) => manager.subscribePrices(symbols, options),
      unsubscribePrices: (symbols, options) => manager.unsubscribePrices(symbols, options),
      reconnect: (connection) => manager.reconnect(connection),
      send: (message, options) => manager.send(message, options),
    }),
    [manager],
  )

  const connections = useStore(manager.store, selectConnections)
  return useMemo(
    () => ({ ...actions, status: worstStatus(connections), connections, manager }),
    [actions, connections, manager],
  )
}
