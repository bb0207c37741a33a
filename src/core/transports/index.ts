import type { ConnectionConfig } from '../config'
import { createSseTransport } from './sse'
import type { TransportDefinition } from './types'
import { createWebSocketTransport } from './websocket'

export { createWebSocketTransport } from './websocket'
export { createSseTransport } from './sse'

/**
 * The transport of a connection: the definition given as `transport`, or a built-in one by
 * name, a WebSocket (the default) or an EventSource, each with the constructor from the config
 * when one is given.
 */
export function resolveTransport(
  config: Pick<ConnectionConfig, 'transport' | 'WebSocket' | 'EventSource'>,
): TransportDefinition {
  const { transport } = config
  if (typeof transport === 'object') return transport
  if (transport === 'sse') {
    return {
      name: 'EventSource',
      capabilities: { twoWay: false, symbols: 'url' },
      open: createSseTransport(config.EventSource),
    }
  }
  return {
    name: 'WebSocket',
    capabilities: { twoWay: true, symbols: 'frames' },
    open: createWebSocketTransport(config.WebSocket),
  }
}
