import { DEFAULTS, type StreamManagerConfig } from './config'
import { createConnection } from './connection/connection'
import { warnMixedContent } from './connection/mixed-content'
import { startSlot, type SwitchableSlot } from './connection/switch'
import { sumStats } from './connection/stats'
import type { Connection } from './connection/types'
import { createControls } from './controls'
import { createEmitter } from './events'
import { createRestFallback } from './fallback/rest-fallback'
import { createInspector } from './inspector'
import { applyDiff, emptyDiff } from './prices/diff'
import { createPricePipeline, type PipelineInput } from './prices/pipeline'
import { createStreamStore } from './prices/store'
import { connectStoreDevtools } from './prices/store-devtools'
import { isValidSymbol } from './protocols/tickwire'
import { createRouter, resolveConnectionConfigs } from './routing'
import type { StreamManager } from './stream-manager'
import { createSubscriptions } from './subscriptions/ref-counts'
import { createSubscribeApi } from './subscriptions/subscribe-api'
import { createWantedSync } from './subscriptions/wanted-sync'
import { defaultTimers } from './timers'
import type { SymbolError } from './types'

const UNKNOWN_SYMBOL: SymbolError = { code: 'unknown_symbol', message: 'unknown symbol' }

/** One configured connection: the socket side and its entrance into the pipeline. */
interface Slot extends SwitchableSlot {
  readonly name: string
  readonly connection: Connection
  readonly input: PipelineInput
  readonly lazy: boolean
  started: boolean
}

/**
 * The main-thread engine (`createStreamManager` without `engine`), wiring only: connection ->
 * prices/pipeline.ts -> one diff per frame -> `applyDiff`; see docs/ARCHITECTURE.md.
 */
export function createMainThreadManager(config: StreamManagerConfig): StreamManager {
  const timers = config.timers ?? defaultTimers
  const configs = resolveConnectionConfigs(config)
  const names = Object.keys(configs)
  const slots = new Map<string, Slot>()
  let destroyed = false
  let started = false
  let disconnectDevtools = () => {}
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
      if (snapshot.unknown.length > 0) setSymbolErrors(name, snapshot.unknown, UNKNOWN_SYMBOL)
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
  const inspector = createInspector(timers, () =>
    Object.fromEntries(names.map((name) => [name, subscriptions.snapshot(name)])),
  )

  /** Hands a connection its wanted set: what it holds, and what it may keep until released. */
  const wantedSync = createWantedSync((name) => {
    const slot = slots.get(name)
    if (!slot) return
    const usable = (symbol: string) => !pipeline.hasError(symbol)
    const wanted = subscriptions.wanted(name).filter(usable)
    slot.input.outstanding(wanted)
    slot.connection.setWanted(wanted, subscriptions.held(name).filter(usable))
    fallback.setSymbols(name, wanted)
    if (started && !slot.started && wanted.length > 0) startSlot(slot)
  })

  // The first side effects come at start(), not at creation: a manager made in a render React
  // throws away (`autoStart: false`) connects no DevTools and warns nothing.
  function goLive(): void {
    started = true
    disconnectDevtools = connectStoreDevtools(store, config.devtools)
    for (const [name, own] of Object.entries(configs)) warnMixedContent(name, own)
    for (const slot of slots.values())
      if (!slot.lazy || subscriptions.wanted(slot.name).length > 0) startSlot(slot)
  }

  function setSymbolErrors(name: string, symbols: readonly string[], error: SymbolError): void {
    const wanted = symbols.filter((s) => isValidSymbol(s) && subscriptions.isWanted(name, s))
    // At once, not at the end of the task: the connection has already forgotten these
    // symbols' subscriptions, and its wanted set must not bring them back.
    if (slots.get(name)?.input.symbolErrors(wanted, error)) wantedSync.now(name)
  }

  for (const [name, own] of Object.entries(configs)) {
    const input = pipeline.input(name)
    const connection = createConnection(
      name,
      own,
      {
        onTick: input.tick,
        onData(event) {
          if (destroyed) return
          if (event.type === 'message')
            events.emit('message', { connection: name, message: event.message })
          else setSymbolErrors(name, event.symbols, { code: event.code, message: event.message })
        },
        onStatus(event) {
          if (destroyed) return
          inspector.status(event)
          fallback.follow(name, connection.getInfo().fallback.active)
          input.connectionChanged()
          events.emit('status', event)
        },
        onError: (event) => void (destroyed || events.emit('error', event)),
        onInfoChange: (kind) => input.connectionChanged(kind),
        onFrame: (direction, frame) => inspector.frame(name, direction, frame),
      },
      { timers, random: config.random ?? Math.random, autoStart: false },
    )
    fallback.add(name, own)
    slots.set(name, { name, connection, input, lazy: own.lazy ?? DEFAULTS.lazy, started: false })
    input.connectionChanged()
  }
  // Every connection is in the store from the first render, as `idle`.
  pipeline.flush()
  if (config.autoStart ?? true) goLive()

  const { route, targets } = createRouter(slots)
  return {
    store,
    connectionNames: names,
    start() {
      if (!destroyed && !started) goLive()
    },
    ...createSubscribeApi({
      subscriptions,
      route,
      pending: () => wantedSync.pending,
      destroyed: () => destroyed,
    }),
    reconnect(name) {
      if (destroyed) return
      for (const slot of targets(name)) {
        slot.started = true
        slot.closedBySwitch = false
        slot.connection.reconnect()
      }
    },
    disconnect(name) {
      if (!destroyed) for (const slot of targets(name)) slot.connection.disconnect()
    },
    ...createControls({
      route,
      subscriptions,
      pipeline,
      timers,
      throttleMs: config.throttleMs ?? DEFAULTS.throttleMs,
      started: () => started,
      destroyed: () => destroyed,
    }),
    send(message, options) {
      if (!destroyed) route(options).connection.send(message)
    },
    on: (event, listener) => (destroyed ? () => {} : events.on(event, listener)),
    inspect: () => inspector.view(),
    getStats: (name) => sumStats(targets(name).map((slot) => slot.connection.getInfo().stats)),
    destroy() {
      if (destroyed) return
      destroyed = true
      subscriptions.destroy()
      wantedSync.destroy()
      fallback.destroy()
      pipeline.destroy()
      // The last word in the store: every connection as it ended (closed).
      const diff = emptyDiff()
      for (const slot of slots.values()) {
        slot.connection.destroy()
        diff.connections[slot.name] = slot.connection.getInfo()
      }
      applyDiff(store, diff)
      disconnectDevtools()
      events.clear()
      inspector.destroy()
    },
  }
}
