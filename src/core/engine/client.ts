/**
 * The main-thread face of a worker engine: the same {@link StreamManager} as the main-thread
 * engine (a zustand store with the same `StreamState`, the same methods and events), whose
 * work happens in the host on the other side of a channel. The tab holds no socket and does
 * no per-message work: it applies one diff per frame to its store, in one write.
 */
import {
  applyDiff,
  connectStoreDevtools,
  createStreamStore,
  defaultRoute,
  defaultTimers,
  emptyStats,
  sumStats,
  type ConnectionInfo,
  type ConnectionStats,
  type EngineKind,
  type InspectedFrame,
  type Release,
  type StreamDiff,
  type StreamManager,
  type StreamManagerConfig,
  type SubscribeOptions,
} from '../index'
import type { ClientMessage, HostMessage, InspectionMirror } from './messages'
import type { SplitConfig } from './wire-config'
import { lazyChannel } from './lazy-channel'
import { emitTo, type Listeners } from './proxy-listeners'
import { answerLocalCall, routeConnection, type LocalCallContext } from './proxy-calls'
import { connectionNames } from './wire-config'

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

function idleInfo(): ConnectionInfo {
  return { status: 'idle', attempt: 0, fallback: { active: false }, stats: emptyStats() }
}

/**
 * Creates the proxy manager over the channel `open` makes, attaching with the split config.
 * The channel opens at once, or at `start()` with `autoStart: false`.
 */
export function createProxyManager(
  config: StreamManagerConfig,
  split: SplitConfig,
  open: () => EngineChannel,
  kind: Exclude<EngineKind, 'main'>,
): EngineManager {
  const channel = lazyChannel(open)
  const names = connectionNames(config)
  const fallbackRoute = defaultRoute(names)
  const store = createStreamStore(Object.fromEntries(names.map((name) => [name, idleInfo()])))
  // Connected at the first open, not here: a manager made in a discarded render has no effect.
  let disconnectDevtools: (() => void) | null = null
  const openChannel = () => {
    disconnectDevtools ??= connectStoreDevtools(store, config.devtools)
    channel.open()
  }
  const listeners: Listeners = { status: new Set(), error: new Set(), message: new Set() }
  const frameListeners = new Set<(frame: InspectedFrame) => void>()
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>()
  const aborts = new Map<number, AbortController>()
  let stats: Record<string, ConnectionStats> = {}
  let mirror: InspectionMirror = { wanted: {}, history: [] }
  let tabs = 1
  let inspecting = false
  let nextId = 1
  let destroyed = false
  /** Diffs received since this thread's last frame, merged: one store write per frame. */
  let incoming: StreamDiff | null = null
  let frame: unknown = null

  function writeFrame(): void {
    frame = null
    const diff = incoming
    incoming = null
    if (diff && !destroyed) applyDiff(store, diff)
  }

  /**
   * The worker's frame clock and this thread's are not in step, so two diffs can arrive
   * within one of this thread's frames: they are merged (later values win, per entry) and
   * written at this thread's next animation frame, never twice in one.
   */
  function receive(diff: StreamDiff): void {
    if (!incoming) incoming = diff
    else {
      Object.assign(incoming.prices, diff.prices)
      Object.assign(incoming.connections, diff.connections)
      Object.assign(incoming.symbolErrors, diff.symbolErrors)
    }
    frame ??= defaultTimers.requestFrame(writeFrame)
  }

  function onMessage(message: HostMessage): void {
    if (destroyed) return
    switch (message.type) {
      case 'frame':
        stats = message.stats
        tabs = message.tabs
        if (message.inspection) mirror = message.inspection
        receive(message.diff)
        return
      case 'event':
        // The union is keyed by event name; the payload matches it by construction.
        emitTo(listeners, message.event, message.payload as never)
        return
      case 'done': {
        const waiting = pending.get(message.id)
        pending.delete(message.id)
        if (message.error === undefined) waiting?.resolve()
        else waiting?.reject(new Error(message.error))
        return
      }
      case 'call':
        return answerLocalCall(calls, message.id, message.connection, message.fn, message.symbols)
      case 'cancel':
        aborts.get(message.id)?.abort()
        aborts.delete(message.id)
        return
      case 'inspected':
        for (const listener of frameListeners) listener(message.frame)
        return
      case 'fatal':
        console.error(`tickwire: the ${kind} engine failed: ${message.message}`)
        return
      case 'notice':
        console.warn(message.message)
        return
      case 'closed':
        return
    }
  }

  const route = (options: SubscribeOptions | undefined): string =>
    routeConnection(names, fallbackRoute, options)
  const calls: LocalCallContext = {
    split,
    aborts,
    post: (message) => channel.post(message),
    destroyed: () => destroyed,
  }

  function prices(
    op: 'subscribe' | 'unsubscribe',
    symbols: readonly string[],
    options?: SubscribeOptions,
  ) {
    if (destroyed) return Promise.resolve()
    let connection: string
    try {
      connection = route(options)
    } catch (error) {
      return Promise.reject(error as Error)
    }
    const id = nextId++
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve, reject })
      channel.post({ type: 'prices', id, op, connection, symbols: [...symbols] })
    })
  }

  function requestInspection(): void {
    if (destroyed) return
    inspecting = true
    channel.post({ type: 'inspect', frames: frameListeners.size > 0 })
  }

  channel.listen(onMessage)
  channel.post({ type: 'attach', clientId: '', config: split.wire, lockName: null })
  if (config.autoStart !== false) openChannel()

  const manager: EngineManager = {
    store,
    connectionNames: names,
    engine: kind,
    tabs: () => tabs,
    start() {
      if (destroyed) return
      openChannel()
      channel.post({ type: 'start' })
    },
    subscribe(symbols, options): Release {
      if (destroyed) return () => {}
      const connection = route(options)
      const hold = nextId++
      channel.post({ type: 'acquire', hold, connection, symbols: [...symbols] })
      let released = false
      return () => {
        if (released || destroyed) return
        released = true
        channel.post({ type: 'release', hold })
      }
    },
    subscribePrices: (symbols, options) => prices('subscribe', symbols, options),
    unsubscribePrices: (symbols, options) => prices('unsubscribe', symbols, options),
    reconnect(name) {
      if (destroyed) return
      if (name !== undefined) route({ connection: name })
      channel.post(
        name === undefined ? { type: 'reconnect' } : { type: 'reconnect', connection: name },
      )
    },
    disconnect(name) {
      if (destroyed) return
      if (name !== undefined) route({ connection: name })
      channel.post(
        name === undefined ? { type: 'disconnect' } : { type: 'disconnect', connection: name },
      )
    },
    setConnectionEnabled(name, enabled) {
      if (!destroyed)
        channel.post({ type: 'enable', connection: route({ connection: name }), enabled })
    },
    setThrottle(ms) {
      // Checked here as the main-thread manager does, so a bad value throws in the caller.
      if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
        throw new RangeError(`tickwire: bad throttleMs ${String(ms)}`)
      }
      if (!destroyed) channel.post({ type: 'throttle', ms: ms ?? null })
    },
    seedPrices(snapshot, options) {
      if (!destroyed) channel.post({ type: 'seed', connection: route(options), snapshot })
    },
    send(message, options) {
      if (!destroyed) channel.post({ type: 'send', connection: route(options), message })
    },
    on(event, listener) {
      if (destroyed) return () => {}
      const set = listeners[event]
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    getStats(name) {
      const chosen = name === undefined ? names : [route({ connection: name })]
      return sumStats(chosen.map((each) => stats[each] ?? emptyStats()))
    },
    inspect() {
      if (!inspecting) requestInspection()
      return {
        wanted: () => structuredClone(mirror.wanted),
        history: () => mirror.history.slice(),
        engine: () => ({ kind, tabs }),
        onFrame(listener) {
          if (destroyed) return () => {}
          frameListeners.add(listener)
          if (frameListeners.size === 1) requestInspection()
          return () => {
            if (frameListeners.delete(listener) && frameListeners.size === 0) requestInspection()
          }
        },
      }
    },
    destroy() {
      if (destroyed) return
      destroyed = true
      if (frame !== null) defaultTimers.cancelFrame(frame)
      channel.post({ type: 'detach' })
      channel.close()
      for (const controller of aborts.values()) controller.abort()
      aborts.clear()
      for (const waiting of pending.values()) waiting.resolve()
      pending.clear()
      // The last word in the store, as on the main-thread engine: every connection closed.
      const connections: Record<string, ConnectionInfo> = {}
      for (const [name, info] of Object.entries(store.getState().connections)) {
        connections[name] = { ...info, status: 'closed' }
      }
      applyDiff(store, { prices: {}, symbolErrors: {}, connections })
      disconnectDevtools?.()
      for (const set of Object.values(listeners)) set.clear()
      frameListeners.clear()
    },
  }
  return manager
}
