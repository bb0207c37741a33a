/**
 * The state of one worker engine proxy manager (client.ts), shared by the modules that make up
 * its methods: ./proxy-inbound.ts (the host's messages), ./proxy-commands.ts (commands to the
 * host) and ./proxy-reads.ts (events, statistics, inspection).
 */
import type { StoreApi } from 'zustand/vanilla'
import {
  connectStoreDevtools,
  createStreamStore,
  defaultRoute,
  emptyStats,
  type ConnectionInfo,
  type ConnectionStats,
  type EngineKind,
  type InspectedFrame,
  type StreamManagerConfig,
  type StreamState,
  type SubscribeOptions,
} from '../index'
import type { EngineChannel } from './client'
import type { HostPlace } from './host-link'
import { lazyChannel } from './lazy-channel'
import type { HostMessage, InspectionMirror } from './messages'
import { routeConnection, type LocalCallContext } from './proxy-calls'
import type { FrameWriter } from './proxy-frames'
import type { Listeners } from './proxy-listeners'
import { connectionNames, type SplitConfig } from './wire-config'

/** A `subscribePrices`/`unsubscribePrices` call waiting for the host's `done`. */
export interface PendingPrices {
  resolve(): void
  reject(error: Error): void
}

/** Everything one proxy manager holds. */
export interface ProxyState {
  readonly kind: Exclude<EngineKind, 'main'>
  readonly config: StreamManagerConfig
  readonly channel: EngineChannel & { open(): void }
  readonly names: readonly string[]
  readonly store: StoreApi<StreamState>
  readonly listeners: Listeners
  readonly frameListeners: Set<(frame: InspectedFrame) => void>
  readonly pending: Map<number, PendingPrices>
  readonly aborts: Map<number, AbortController>
  readonly calls: LocalCallContext
  /** The store writes and the handling of the host's messages, once ./host-link.ts loaded. */
  frames: FrameWriter | null
  inbound: ((message: HostMessage) => void) | null
  /** Every connection's statistics as of the last frame. */
  stats: Record<string, ConnectionStats>
  mirror: InspectionMirror
  tabs: number
  inspecting: boolean
  nextId: number
  destroyed: boolean
  disconnectDevtools: (() => void) | null
  /** The connection a call goes to; throws for a bad name, as the main-thread manager does. */
  route(options: SubscribeOptions | undefined): string
  /** Opens the channel (and connects devtools) on first need. */
  openChannel(): void
}

function idleInfo(): ConnectionInfo {
  return { status: 'idle', attempt: 0, fallback: { active: false }, stats: emptyStats() }
}

/** Creates a proxy's state; nothing is opened or posted yet. */
export function createProxyState(
  config: StreamManagerConfig,
  split: SplitConfig,
  place: HostPlace,
): ProxyState {
  // The link loads at the first open; a manager that is never started never loads it.
  const channel = lazyChannel(() =>
    import('./host-link').then((link) => () => link.linkToHost(state, place)),
  )
  const names = connectionNames(config)
  const fallbackRoute = defaultRoute(names)
  const store = createStreamStore(Object.fromEntries(names.map((name) => [name, idleInfo()])))
  const aborts = new Map<number, AbortController>()
  const state: ProxyState = {
    kind: place.kind,
    config,
    channel,
    names,
    store,
    listeners: { status: new Set(), error: new Set(), message: new Set() },
    frameListeners: new Set(),
    pending: new Map(),
    aborts,
    calls: {
      split,
      aborts,
      post: (message) => channel.post(message),
      destroyed: () => state.destroyed,
    },
    frames: null,
    inbound: null,
    stats: {},
    mirror: { wanted: {}, history: [] },
    tabs: 1,
    inspecting: false,
    nextId: 1,
    destroyed: false,
    disconnectDevtools: null,
    route: (options) => routeConnection(names, fallbackRoute, options),
    openChannel() {
      // Connected at the first open, not at creation: a manager made in a discarded render
      // has no effect.
      state.disconnectDevtools ??= connectStoreDevtools(store, config.devtools)
      channel.open()
    },
  }
  return state
}
