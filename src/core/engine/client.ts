/**
 * The main-thread face of a worker engine: the same {@link StreamManager} as the main-thread
 * engine (a zustand store with the same `StreamState`, the same methods and events), whose
 * work happens in the host on the other side of a channel. The tab holds no socket and does
 * no per-message work: it applies one diff per frame to its store, in one write.
 */
import {
  applyDiff,
  type ConnectionInfo,
  type EngineKind,
  type StreamManager,
  type StreamManagerConfig,
} from '../index'
import type { ClientMessage, HostMessage } from './messages'
import type { HostPlace } from './host-link'
import type { SplitConfig } from './wire-config'
import { proxyCommands } from './proxy-commands'
import { proxyReads } from './proxy-reads'
import { createProxyState, type ProxyState } from './proxy-state'

/** How the proxy talks to its host: a dedicated worker, a SharedWorker port or a leader tab. */
export interface EngineChannel {
  post(message: ClientMessage): void
  /** Sets the one handler of the host's messages. */
  listen(handler: (message: HostMessage) => void): void
  /** Ends the channel after the `detach` (terminates a dedicated worker). */
  close(): void
}

/** A {@link StreamManager} that says which engine runs it. */
export interface EngineManager extends StreamManager {
  /** `main` when a worker engine was asked for but could not be used (see the warning). */
  readonly engine: EngineKind
  /** Tabs attached to the same host, as of the last frame (1 for `main` and `worker`). */
  tabs(): number
}

/** Ends the proxy: the host is told, pending calls settle, the store says every connection closed. */
function destroyProxy(state: ProxyState): void {
  if (state.destroyed) return
  state.destroyed = true
  state.frames?.cancel()
  state.channel.post({ type: 'detach' })
  state.channel.close()
  for (const controller of state.aborts.values()) controller.abort()
  state.aborts.clear()
  for (const waiting of state.pending.values()) waiting.resolve()
  state.pending.clear()
  // The last word in the store, as on the main-thread engine: every connection closed.
  const connections: Record<string, ConnectionInfo> = {}
  for (const [name, info] of Object.entries(state.store.getState().connections)) {
    connections[name] = { ...info, status: 'closed' }
  }
  applyDiff(state.store, { prices: {}, symbolErrors: {}, connections })
  state.disconnectDevtools?.()
  for (const set of Object.values(state.listeners)) set.clear()
  state.frameListeners.clear()
}

/**
 * Creates the proxy manager of the host at `place`, attaching with the split config. The
 * channel opens at once, or at `start()` with `autoStart: false`; it first loads its code
 * (./host-link.ts, a dynamic import), and commands wait for it in order.
 */
export function createProxyManager(
  config: StreamManagerConfig,
  split: SplitConfig,
  place: HostPlace,
): EngineManager {
  const state = createProxyState(config, split, place)
  state.channel.listen((message) => state.inbound?.(message))
  state.channel.post({ type: 'attach', clientId: '', config: split.wire, lockName: null })
  if (config.autoStart !== false) state.openChannel()
  return {
    store: state.store,
    connectionNames: state.names,
    engine: place.kind,
    tabs: () => state.tabs,
    start() {
      if (state.destroyed) return
      state.openChannel()
      state.channel.post({ type: 'start' })
    },
    ...proxyCommands(state),
    ...proxyReads(state),
    destroy: () => destroyProxy(state),
  }
}
