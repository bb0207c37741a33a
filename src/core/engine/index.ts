/**
 * Where the pipeline runs. `createEngineManager(config)` returns the same {@link StreamManager}
 * as `createStreamManager`, with the connections, decode, validation, merge, throttle and
 * frame scheduling in a dedicated Worker (`engine: 'worker'`) or in one SharedWorker that
 * every tab of the app shares (`engine: 'shared'`). It falls back to the main-thread engine,
 * with one warning that says why, where that cannot work.
 */
import type { StreamManagerConfig, StreamManagerOptions } from '../index'
import { createMainThreadManager } from '../main-thread'
import { createProxyManager, type EngineManager } from './client'
import { splitConfig } from './wire-config'

export type { EngineManager, EngineChannel } from './client'
export type { EngineKind } from '../index'
export { engineProtocol } from './protocols'
export type { ProtocolSpec } from './messages'

/** Options that choose and locate the engine; the rest of the config is the manager's. */
export type EngineOptions = Pick<StreamManagerOptions, 'engine' | 'sharedName' | 'workerUrl'>

/** Config of {@link createEngineManager}: the manager config plus {@link EngineOptions}. */
export type EngineManagerConfig = StreamManagerConfig & EngineOptions

/** Whether this environment can elect a leader tab (Web Locks and BroadcastChannel). */
function canElect(): boolean {
  return typeof BroadcastChannel !== 'undefined' && !!globalThis.navigator?.locks
}

/** Warnings go through here, so a test can count them. */
const warn = (message: string) => console.warn(message)

function mainThread(config: EngineManagerConfig, reason: string | null): EngineManager {
  if (reason) warn(`tickwire: ${reason}; this manager runs on the main thread (engine: 'main').`)
  const { engine: _engine, sharedName: _name, workerUrl: _url, ...rest } = config
  const manager = createMainThreadManager(rest as StreamManagerConfig)
  return Object.assign(manager, { engine: 'main' as const, tabs: () => 1 })
}

/**
 * Creates a stream manager on the chosen engine. Same contract as `createStreamManager`:
 * the store, methods and events behave alike; a worker engine's store holds what the worker
 * last sent (one write per animation frame), `getStats()` and `inspect()` read the figures of
 * the last frame. Functions in the config stay in the tab: `getToken` and `fetchSnapshot`
 * are called through the worker; a custom protocol adapter, codecs, a WebSocket or
 * EventSource constructor, `timers` or `random` keep this manager on the main thread, with one
 * warning naming the option (built-in adapters cross when made with {@link engineProtocol}).
 * The code that talks to the worker loads on demand (a dynamic import) when the manager
 * starts; the manager is usable at once, and commands wait for it in order.
 *
 * @example
 * ```ts
 * const manager = createEngineManager({ url: 'wss://feed.example/ws', engine: 'shared' })
 * const release = manager.subscribe(['BTC-USD'])
 * ```
 */
export function createEngineManager(config: EngineManagerConfig): EngineManager {
  const engine = config.engine ?? 'main'
  if (engine === 'main') return mainThread(config, null)
  if (typeof Worker === 'undefined') {
    return mainThread(config, `engine: '${engine}' needs Worker, which this environment lacks`)
  }
  const split = splitConfig(config)
  if ('blocked' in split) {
    return mainThread(
      config,
      `engine: '${engine}' cannot move the option \`${split.blocked}\` into a worker (${split.why})`,
    )
  }
  const { workerUrl } = config
  if (engine === 'shared') {
    const name = config.sharedName ?? 'tickwire'
    if (typeof SharedWorker !== 'undefined') {
      return createProxyManager(config, split, {
        kind: 'shared',
        name,
        workerUrl,
        via: 'shared-worker',
      })
    }
    // Chrome on Android: one tab's worker holds the sockets for all (leader election).
    if (canElect()) {
      return createProxyManager(config, split, { kind: 'shared', name, workerUrl, via: 'leader' })
    }
    warn(
      `tickwire: engine: 'shared' needs SharedWorker, or Web Locks and BroadcastChannel, which this browser lacks; each tab runs its own worker engine.`,
    )
  }
  return createProxyManager(config, split, { kind: 'worker', workerUrl })
}
