import type { ConnectionConfig } from '../config'
import type { TransportFactory, TransportKind } from './types'
import { createSseTransport } from './sse'
import { createWebSocketTransport } from './websocket'

export { createWebSocketTransport } from './websocket'
export { createSseTransport } from './sse'

/**
 * The transport factory for a connection: a WebSocket for `'websocket'` (the default), an
 * EventSource for `'sse'`, each with the constructor from the config when one is given.
 */
export function transportFor(
  kind: TransportKind,
  config: Pick<ConnectionConfig, 'WebSocket' | 'EventSource'>,
): TransportFactory {
  return kind === 'sse'
    ? createSseTransport(config.EventSource)
    : createWebSocketTransport(config.WebSocket)
}
