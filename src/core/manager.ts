import { QueryClient } from '@tanstack/query-core'
import { DEFAULTS, type ConnectionConfig, type StreamManagerConfig } from './config'
import { createConnection } from './connection/connection'
import { connectStoreDevtools } from './prices/store-devtools'
import { warnMixedContent } from './connection/mixed-content'
import type { Connection, ConnectionCallbacks, DataEvent } from './connection/types'
import { defaultRoute, resolveConnectionConfigs } from './routing'
import { isValidSymbol } from './protocols/tickwire'
import { sumStats } from './connection/stats'
import type { Release, StreamManager, SubscribeOptions } from './stream-manager'
import { createPriceBook } from './prices/price-book'
import { createFrameScheduler, emptyDiff } from './prices/frame-scheduler'
import { applyDiff, createStreamStore } from './prices/store'
import { createSubscriptions, type WantedChange } from './subscriptions/ref-counts'
import { defaultTimers } from './timers'
import { createPoller } from './fallback/poller'
import type { PolledSnapshot, Poller } from './fallback/types'
import type { InspectedFrame, StatusRecord } from './stream-manager'
import type { ConnectionInfo, StreamEvents, SymbolError } from './types'

/** One configured connection and what the manager keeps beside it. */
interface Slot {
  readonly name: string
  readonly config: ConnectionConfig
  connection: Connection
  readonly lazy: boolean
  started: boolean
  /** The set last given to `setWanted`: the subscriptions outstanding on this connection. */
  sent: Set<string>
  poller: Poller | null
  polling: boolean
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Creates the stream manager: the connections, the wanted sets, the merge state, the frame
 * scheduler and the store. See API.md for the contract and PROTOCOL.md for the wire rules.
 *
 * @example
 * ```ts
 * import WebSocket from 'ws'
 * const manager = createStreamManager({
 *   url: 'ws://127.0.0.1:8080/ws',
 *   WebSocket, // the `ws` package's constructor fits as it is
 * })
 * const release = manager.subscribe(['BTC-USD'])
 * manager.store.subscribe((s) => console.log(s.prices['BTC-USD']?.price))
 * ```
 */
export function createStreamManager(config: StreamManagerConfig): StreamManager {
  const timers = config.timers ?? defaultTimers
  const throttleMs = config.throttleMs ?? DEFAULTS.throttleMs
  const unsubscribeDelayMs = config.unsubscribeDelayMs ?? DEFAULTS.unsubscribeDelayMs
  const configs = resolveConnectionConfigs(config)
  const names = Object.keys(configs)
  const fallbackRoute = defaultRoute(names)

  let destroyed = false
  let started = config.autoStart ?? true
  const listeners: { [E in keyof StreamEvents]: Set<(payload: StreamEvents[E]) => void> } = {
    status: new Set(),
    error: new Set(),
    message: new Set(),
  }
  const slots = new Map<string, Slot>()
  /** Connections whose wanted set changed in this task, and the promise of their flush. */
  const wantedDirty = new Set<Slot>()
  let wantedFlushed: Promise<void> | null = null
  let ownedClient: QueryClient | null = null
  // ---- inspection (devtools): a bounded status history, and frame listeners ----
  const frameListeners = new Set<(frame: InspectedFrame) => void>()
  let history: StatusRecord[] = []

  function emit<E extends keyof StreamEvents>(event: E, payload: StreamEvents[E]): void {
    for (const listener of listeners[event]) {
      try {
        listener(payload)
      } catch (error) {
        // A listener's bug must not break the stream; report it outside our call stack.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  // ---- store writes, once per frame ----
  const store = createStreamStore()
  const disconnectDevtools = connectStoreDevtools(store, config.devtools)
  const scheduler = createFrameScheduler({
    timers,
    throttleMs,
    apply: (diff) => applyDiff(store, diff),
    collect: {
      price(symbol) {
        const prices = store.getState().prices
        return book.tickFor(symbol, hasOwn.call(prices, symbol) ? prices[symbol] : undefined)
      },
      connection(name) {
        const slot = slots.get(name)
        if (!slot) return undefined
        const info = slot.connection.getInfo()
        syncPolling(slot, info)
        return info
      },
      symbolError: (symbol) => book.errorFor(symbol),
    },
  })

  // ---- wanted sets ----
  const subscriptions = createSubscriptions({
    timers,
    unsubscribeDelayMs,
    onChange: onWantedChange,
  })

  function onWantedChange(change: WantedChange): void {
    const slot = slots.get(change.connection)
    if (!slot) return
    book.wantedChanged(change)
    void queueSyncWanted(slot)
  }

  /**
   * Wanted-set changes of one task go to the connection together at its end, so a page that
   * mounts 200 rows, each subscribing its own symbol, sends 2 subscribe frames, not 200.
   */
  function queueSyncWanted(slot: Slot): Promise<void> {
    wantedDirty.add(slot)
    if (!wantedFlushed) {
      wantedFlushed = new Promise<void>((resolve) => {
        queueMicrotask(() => {
          wantedFlushed = null
          const dirty = [...wantedDirty]
          wantedDirty.clear()
          if (!destroyed) for (const each of dirty) syncWanted(each)
          resolve()
        })
      })
    }
    return wantedFlushed
  }

  function syncWanted(slot: Slot): void {
    wantedDirty.delete(slot)
    const wanted = subscriptions.wanted(slot.name).filter((symbol) => !book.hasError(symbol))
    slot.sent = new Set(wanted)
    slot.connection.setWanted(wanted)
    slot.poller?.setSymbols(wanted)
    if (started && !slot.started && wanted.length > 0) startSlot(slot)
  }

  function startSlot(slot: Slot): void {
    slot.started = true
    slot.connection.start()
  }

  // ---- inbound ----
  const book = createPriceBook({
    timers,
    staleAfterMs: config.staleAfterMs ?? DEFAULTS.staleAfterMs,
    cacheTtlMs: config.cacheTtlMs ?? DEFAULTS.cacheTtlMs,
    resyncRetryMs: DEFAULTS.resyncRetryMs,
    scheduler,
    resync(name, symbols) {
      const slot = slots.get(name)
      const still = slot ? symbols.filter((symbol) => slot.sent.has(symbol)) : []
      if (slot && still.length > 0) slot.connection.resync(still)
    },
    onError: (event) => emit('error', event),
  })

  function onData(slot: Slot, event: DataEvent, receivedAt: number): void {
    if (destroyed) return
    switch (event.type) {
      case 'snapshot':
      case 'delta':
        // Frames for symbols with no subscription outstanding are ignored (PROTOCOL.md 3.3).
        if (slot.sent.has(event.symbol))
          book.apply(
            slot.name,
            event.type,
            event.symbol,
            event.seq,
            event.ts,
            event.data,
            receivedAt,
          )
        return
      case 'message':
        emit('message', { connection: slot.name, message: event.message })
        return
      case 'symbol_error':
        setSymbolErrors(slot, event.symbols, { code: event.code, message: event.message })
        return
    }
  }

  function setSymbolErrors(slot: Slot, symbols: readonly string[], error: SymbolError): void {
    const wanted = (symbol: string) =>
      isValidSymbol(symbol) && subscriptions.isWanted(slot.name, symbol)
    // At once, not at the end of the task: the connection has already forgotten these
    // symbols' subscriptions, and its wanted set must not bring them back.
    if (book.setErrors(symbols, error, wanted)) syncWanted(slot)
  }

  function applyPolled(slot: Slot, snapshot: PolledSnapshot, receivedAt: number): void {
    if (destroyed) return
    book.polled(slot.name, snapshot, receivedAt, slot.sent)
    if (snapshot.unknown.length > 0) {
      setSymbolErrors(slot, snapshot.unknown, { code: 'unknown_symbol', message: 'unknown symbol' })
    }
  }

  // ---- REST polling while in fallback ----
  function queryClient(): QueryClient {
    if (config.queryClient) return config.queryClient
    if (!ownedClient) {
      ownedClient = new QueryClient()
      ownedClient.mount()
    }
    return ownedClient
  }

  function makePoller(slot: Slot): Poller | null {
    const { restUrl, fetchSnapshot } = slot.config
    if (!restUrl && !fetchSnapshot) return null
    return createPoller({
      queryClient: queryClient(),
      connection: slot.name,
      ...(restUrl ? { restUrl } : {}),
      ...(fetchSnapshot ? { fetchSnapshot } : {}),
      intervalMs: slot.config.fallbackIntervalMs ?? DEFAULTS.fallbackIntervalMs,
      timers,
      onSnapshot: (snapshot, receivedAt) => applyPolled(slot, snapshot, receivedAt),
      onError: (message) => {
        if (!destroyed)
          emit('error', { connection: slot.name, kind: 'transport', code: 'poll_failed', message })
      },
    })
  }

  function syncPolling(slot: Slot, info: ConnectionInfo): void {
    if (destroyed) return
    if (info.fallback.active && !slot.polling) {
      // Made at the first fallback, not at creation: a QueryClient of our own mounts focus and
      // online listeners, which a manager created during a render must not do.
      slot.poller ??= makePoller(slot)
      if (!slot.poller) return
      slot.polling = true
      slot.poller.setSymbols([...slot.sent])
      slot.poller.start()
    } else if (!info.fallback.active && slot.polling && slot.poller) {
      slot.polling = false
      slot.poller.stop()
    }
  }

  // ---- connections ----
  for (const name of names) {
    const connectionConfig = configs[name] as ConnectionConfig
    const lazy = connectionConfig.lazy ?? DEFAULTS.lazy
    const slot = {
      name,
      config: connectionConfig,
      lazy,
      started: false,
      sent: new Set<string>(),
      poller: null,
      polling: false,
    } as Omit<Slot, 'connection'> as Slot
    const callbacks: ConnectionCallbacks = {
      onData: (event, receivedAt) => onData(slot, event, receivedAt),
      onTick(type, symbol, seq, ts, data, receivedAt) {
        // The hot path: one call per snapshot or delta, no event object. Same rule as onData:
        // frames for symbols with no subscription outstanding are ignored (PROTOCOL.md 3.3).
        if (!destroyed && slot.sent.has(symbol))
          book.apply(name, type, symbol, seq, ts, data, receivedAt)
      },
      onStatus(event) {
        if (destroyed) return
        const record: StatusRecord = {
          at: timers.now(),
          connection: name,
          from: event.oldState,
          to: event.newState,
        }
        if (event.reason !== undefined) record.reason = event.reason
        history.push(record)
        if (history.length > 200) history = history.slice(-200)
        syncPolling(slot, slot.connection.getInfo())
        scheduler.markConnection(name)
        emit('status', event)
      },
      onError(event) {
        if (!destroyed) emit('error', event)
      },
      onInfoChange(kind) {
        if (destroyed) return
        // Counters alone (per inbound frame) are throttled; anything a UI shows goes next frame.
        if (kind === 'counters') scheduler.markConnectionCounters(name)
        else scheduler.markConnection(name)
      },
      onOpen() {},
      onFrame(direction, frame) {
        if (frameListeners.size === 0 || destroyed) return
        const event: InspectedFrame = { connection: name, direction, at: timers.now(), frame }
        for (const listener of frameListeners) listener(event)
      },
    }
    warnMixedContent(name, connectionConfig)
    slot.connection = createConnection(name, connectionConfig, callbacks, {
      timers,
      random: config.random ?? Math.random,
      autoStart: false,
    })
    slots.set(name, slot)
  }
  {
    const diff = emptyDiff()
    for (const slot of slots.values()) diff.connections[slot.name] = slot.connection.getInfo()
    applyDiff(store, diff)
  }
  if (started) for (const slot of slots.values()) if (!slot.lazy) startSlot(slot)

  // ---- the public face ----
  function route(options: SubscribeOptions | undefined): Slot {
    const name = options?.connection ?? fallbackRoute
    const slot = name === undefined ? undefined : slots.get(name)
    if (!slot) {
      throw new Error(
        name === undefined
          ? `tickwire: several connections (${names.join(', ')}) and none named "default": pass { connection }`
          : `tickwire: no connection named "${name}"`,
      )
    }
    return slot
  }

  function targets(name: string | undefined): Slot[] {
    if (name === undefined) return [...slots.values()]
    return [route({ connection: name })]
  }

  function symbolsOf(symbols: readonly string[]): string[] {
    return symbols.filter(isValidSymbol)
  }

  const manager: StreamManager = {
    store,
    connectionNames: names,

    start() {
      if (destroyed || started) return
      started = true
      for (const slot of slots.values())
        if (!slot.lazy || subscriptions.wanted(slot.name).length > 0) startSlot(slot)
    },

    subscribe(symbols, options): Release {
      if (destroyed) return () => {}
      const slot = route(options)
      const list = symbolsOf(symbols)
      subscriptions.acquire(slot.name, list)
      let released = false
      return () => {
        if (released || destroyed) return
        released = true
        subscriptions.release(slot.name, list)
      }
    },

    subscribePrices(symbols, options) {
      if (destroyed) return Promise.resolve()
      try {
        subscriptions.acquire(route(options).name, symbolsOf(symbols), true)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      // Resolves once the connection has the new wanted set (frames sent, or kept for the open).
      return wantedFlushed ?? Promise.resolve()
    },

    unsubscribePrices(symbols, options) {
      if (destroyed) return Promise.resolve()
      try {
        subscriptions.release(route(options).name, symbolsOf(symbols), true)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      return wantedFlushed ?? Promise.resolve()
    },

    reconnect(name) {
      if (destroyed) return
      for (const slot of targets(name)) {
        slot.started = true
        slot.connection.reconnect()
      }
    },

    disconnect(name) {
      if (destroyed) return
      for (const slot of targets(name)) slot.connection.disconnect()
    },

    send(message, options) {
      if (destroyed) return
      route(options).connection.send(message)
    },

    on(event, listener) {
      if (destroyed) return () => {}
      const set = listeners[event]
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },

    inspect() {
      return {
        wanted: () => Object.fromEntries(names.map((name) => [name, subscriptions.snapshot(name)])),
        onFrame(listener) {
          if (destroyed) return () => {}
          frameListeners.add(listener)
          return () => {
            frameListeners.delete(listener)
          }
        },
        history: () => history.slice(),
      }
    },

    getStats(name) {
      return sumStats(targets(name).map((slot) => slot.connection.getInfo().stats))
    },

    destroy() {
      if (destroyed) return
      destroyed = true
      subscriptions.destroy()
      scheduler.destroy()
      book.destroy()
      for (const slot of slots.values()) {
        slot.poller?.destroy()
        slot.connection.destroy()
      }
      // The last word in the store: every connection as it ended (closed).
      const diff = emptyDiff()
      for (const slot of slots.values()) diff.connections[slot.name] = slot.connection.getInfo()
      applyDiff(store, diff)
      disconnectDevtools()
      for (const set of Object.values(listeners)) set.clear()
      frameListeners.clear()
      if (ownedClient) {
        ownedClient.unmount()
        ownedClient.clear()
        ownedClient = null
      }
    },
  }
  return manager
}
