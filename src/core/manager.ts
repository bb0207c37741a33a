import type { StreamManagerConfig } from './config'
import { createEngineManager } from './engine'
import { createMainThreadManager } from './main-thread'
import type { StreamManager } from './stream-manager'

/**
 * Creates the stream manager: the connections, the wanted sets, the price pipeline and the
 * store, on the engine the config names (`engine`: this thread by default, or a Worker or a
 * SharedWorker, see `createEngineManager`).
 *
 * @example
 * ```ts
 * import WebSocket from 'ws' // Node; browsers have a global WebSocket
 * const manager = createStreamManager({ url: 'ws://127.0.0.1:8080/ws', WebSocket })
 * const release = manager.subscribe(['BTC-USD'])
 * manager.store.subscribe((s) => console.log(s.prices['BTC-USD']?.price))
 * ```
 */
export function createStreamManager(config: StreamManagerConfig): StreamManager {
  if (config.engine !== undefined && config.engine !== 'main') return createEngineManager(config)
  return createMainThreadManager(config)
}
