/**
 * The rooms of the main-thread manager (main-thread.ts), built once and shared by its parts
 * (manager-slot.ts, manager-commands.ts): the store, the price pipeline, the REST fallback,
 * the reference counts and their hand-over, the event emitter and the devtools inspector.
 */
import type { StoreApi } from 'zustand/vanilla'
import { DEFAULTS, type ConnectionConfig, type StreamManagerConfig } from './config'
import { createEmitter, type Emitter } from './events'
import { createRestFallback, type RestFallback } from './fallback/rest-fallback'
import { createInspector, type Inspector } from './inspector'
import { handWanted, setSymbolErrors, type ManagerSlot } from './manager-slot'
import { applyDiff } from './prices/diff'
import { createPricePipeline, type PricePipeline } from './prices/pipeline'
import { createStreamStore } from './prices/store'
import { resolveConnectionConfigs } from './routing'
import { createSubscriptions, type Subscriptions } from './subscriptions/ref-counts'
import { createWantedSync, type WantedSync } from './subscriptions/wanted-sync'
import { defaultTimers, type TimerProvider } from './timers'
import type { StreamState, SymbolError } from './types'

const UNKNOWN_SYMBOL: SymbolError = { code: 'unknown_symbol', message: 'unknown symbol' }

/** The rooms of one main-thread manager, and where it stands. */
export interface ManagerRooms {
  readonly config: StreamManagerConfig
  readonly timers: TimerProvider
  /** The named connection configs (routing.ts), in the order they were given. */
  readonly configs: Record<string, ConnectionConfig>
  /** One slot per configured connection, added by main-thread.ts. */
  readonly slots: Map<string, ManagerSlot>
  readonly events: Emitter
  readonly store: StoreApi<StreamState>
  readonly pipeline: PricePipeline
  readonly fallback: RestFallback
  readonly subscriptions: Subscriptions
  /** Hands the wanted sets to the connections at the end of the task. */
  readonly wantedSync: WantedSync
  readonly inspector: Inspector
  /** `start()` ran: side effects (sockets, DevTools, warnings) are allowed. */
  started: boolean
  destroyed: boolean
  /** Undoes the Redux DevTools connection made at start. */
  disconnectDevtools: () => void
}

/** Builds the rooms; no connection yet, and nothing with a side effect. */
export function createManagerRooms(config: StreamManagerConfig): ManagerRooms {
  const configs = resolveConnectionConfigs(config)
  const timers = config.timers ?? defaultTimers
  const slots = new Map<string, ManagerSlot>()
  const events = createEmitter()
  const store = createStreamStore()
  const pipeline = createPricePipeline({
    timers,
    throttleMs: config.throttleMs ?? DEFAULTS.throttleMs,
    staleAfterMs: config.staleAfterMs ?? DEFAULTS.staleAfterMs,
    cacheTtlMs: config.cacheTtlMs ?? DEFAULTS.cacheTtlMs,
    readConnection: (name) => slots.get(name)?.connection.getInfo(),
    onDiff: (diff) => applyDiff(store, diff),
    resync: (name, symbols) => slots.get(name)?.connection.resync(symbols),
    onError: (event) => events.emit('error', event),
  })
  const fallback = createRestFallback({
    timers,
    queryClient: config.queryClient,
    onSnapshot(name, snapshot, receivedAt) {
      slots.get(name)?.input.polled(snapshot, receivedAt)
      if (snapshot.unknown.length > 0) setSymbolErrors(m, name, snapshot.unknown, UNKNOWN_SYMBOL)
    },
    onError: (event) => events.emit('error', event),
  })
  const subscriptions = createSubscriptions({
    timers,
    unsubscribeDelayMs: config.unsubscribeDelayMs ?? DEFAULTS.unsubscribeDelayMs,
    onChange(change) {
      pipeline.wanted(change)
      void wantedSync.queue(change.connection)
    },
    onHeldChange: (name) => void wantedSync.queue(name),
  })
  const wantedSync = createWantedSync((name) => handWanted(m, name))
  const inspector = createInspector(timers, () =>
    Object.fromEntries(Object.keys(configs).map((name) => [name, subscriptions.snapshot(name)])),
  )
  // The closures above reach the rooms through `m`, declared last: none runs before it exists.
  const m: ManagerRooms = {
    config,
    timers,
    configs,
    slots,
    events,
    store,
    pipeline,
    fallback,
    subscriptions,
    wantedSync,
    inspector,
    started: false,
    destroyed: false,
    disconnectDevtools: () => {},
  }
  return m
}
