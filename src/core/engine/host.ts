/**
 * The engine host: one real stream manager (connections, decode, validation, merge, throttle,
 * frame scheduling) inside a Worker or SharedWorker, serving one or more tabs. Each tab's
 * holds are its own, so a tab that leaves (or crashes) releases exactly what it held, and the
 * manager's reference counts span tabs.
 */
import type { ConnectionStats, Release, StreamManager, StreamDiff } from '../index'
// The main-thread engine itself, not `createStreamManager`: the worker must not bundle the
// code that starts workers (its `new URL('./worker.ts', …)` would send a bundler looking).
import { createMainThreadManager } from '../main-thread'
import { diffStates, fullDiff } from './diff'
import type { ClientMessage, HostMessage, InspectionMirror, WireConfig } from './messages'
import { createRemoteCalls } from './remote-calls'

/** One tab's end of the host. */
export interface HostPort {
  post(message: HostMessage): void
}

/** Options of {@link createEngineHost}. */
export interface EngineHostOptions {
  /** Calls `onGone` once the tab's liveness lock is free (the tab closed or crashed). */
  waitForLock?: (lockName: string, onGone: () => void) => void
  /** The last tab left; the manager is already destroyed. */
  onEmpty(): void
}

/** The host: connect a tab's port, get the handler of its messages. */
export interface EngineHost {
  connect(port: HostPort): (message: ClientMessage) => void
  /** Tabs attached now. */
  readonly tabs: number
}

interface Client {
  readonly port: HostPort
  attached: boolean
  gone: boolean
  holds: Map<number, Release>
  /** `subscribePrices` references still held, by connection then symbol. */
  prices: Map<string, Map<string, number>>
  /** Remote functions this tab answers, as `fn:connection`. */
  answers: Set<string>
  inspecting: boolean
  frames: boolean
}

/** Creates the host. Nothing runs until the first tab attaches with its config. */
export function createEngineHost(options: EngineHostOptions): EngineHost {
  const clients = new Set<Client>()
  const remote = createRemoteCalls(() => clients)
  let manager: StreamManager | null = null
  let stopManager: (() => void) | null = null
  let stopFrames: (() => void) | null = null
  /** The config the running manager was made from, to tell a tab that brings another. */
  let configKey = ''

  function stats(current: StreamManager): Record<string, ConnectionStats> {
    const out: Record<string, ConnectionStats> = {}
    for (const name of current.connectionNames) out[name] = current.getStats(name)
    return out
  }

  function mirror(current: StreamManager): InspectionMirror {
    const inspection = current.inspect()
    return { wanted: inspection.wanted(), history: [...inspection.history()] }
  }

  function sendFrame(targets: Iterable<Client>, diff: StreamDiff) {
    if (!manager) return
    const frame: HostMessage = { type: 'frame', diff, stats: stats(manager), tabs: attached() }
    let inspected: HostMessage | null = null
    for (const client of targets) {
      if (!client.attached || client.gone) continue
      if (client.inspecting) {
        inspected ??= { ...frame, inspection: mirror(manager) }
        client.port.post(inspected)
      } else client.port.post(frame)
    }
  }

  function broadcast(message: HostMessage): void {
    for (const client of clients) if (client.attached && !client.gone) client.port.post(message)
  }

  function start(config: WireConfig): StreamManager {
    const created = createMainThreadManager(remote.managerConfig(config))
    const undo = [
      created.store.subscribe((next, prev) => sendFrame(clients, diffStates(prev, next))),
      created.on('status', (payload) => broadcast({ type: 'event', event: 'status', payload })),
      created.on('error', (payload) => broadcast({ type: 'event', event: 'error', payload })),
      created.on('message', (payload) => broadcast({ type: 'event', event: 'message', payload })),
    ]
    stopManager = () => undo.forEach((each) => each())
    return created
  }

  function syncFrameListener(): void {
    const wanted = manager !== null && [...clients].some((each) => each.frames && !each.gone)
    if (wanted && !stopFrames && manager) {
      stopFrames = manager.inspect().onFrame((frame) => {
        for (const client of clients)
          if (client.frames && !client.gone) client.port.post({ type: 'inspected', frame })
      })
    } else if (!wanted && stopFrames) {
      stopFrames()
      stopFrames = null
    }
  }

  function attached(): number {
    let n = 0
    for (const client of clients) if (client.attached && !client.gone) n++
    return n
  }

  /** A tab left (detach, close or crash): everything it held is released, once. */
  function drop(client: Client): void {
    if (client.gone) return
    client.gone = true
    clients.delete(client)
    remote.forget(client)
    if (manager) {
      for (const release of client.holds.values()) release()
      for (const [connection, counts] of client.prices) {
        const symbols: string[] = []
        for (const [symbol, count] of counts) for (let i = 0; i < count; i++) symbols.push(symbol)
        if (symbols.length > 0) void manager.unsubscribePrices(symbols, { connection })
      }
    }
    client.holds.clear()
    client.prices.clear()
    syncFrameListener()
    // Tabs still connecting (no attach yet) do not keep the manager: only attached ones hold.
    if (attached() === 0 && manager) {
      stopFrames?.()
      stopFrames = null
      stopManager?.()
      manager.destroy()
      manager = null
      options.onEmpty()
    } else if (manager)
      sendFrame(clients, diffStates(manager.store.getState(), manager.store.getState()))
  }

  function countPrices(client: Client, connection: string, symbols: string[], step: 1 | -1) {
    let counts = client.prices.get(connection)
    if (!counts) client.prices.set(connection, (counts = new Map()))
    for (const symbol of symbols) {
      const next = (counts.get(symbol) ?? 0) + step
      if (next > 0) counts.set(symbol, next)
      else counts.delete(symbol)
    }
  }

  function handle(client: Client, message: ClientMessage, current: StreamManager): void {
    switch (message.type) {
      case 'acquire':
        client.holds.set(
          message.hold,
          current.subscribe(message.symbols, { connection: message.connection }),
        )
        return
      case 'release':
        client.holds.get(message.hold)?.()
        client.holds.delete(message.hold)
        return
      case 'prices': {
        const { id, op, connection, symbols } = message
        countPrices(client, connection, symbols, op === 'subscribe' ? 1 : -1)
        const done =
          op === 'subscribe'
            ? current.subscribePrices(symbols, { connection })
            : current.unsubscribePrices(symbols, { connection })
        done.then(
          () => client.port.post({ type: 'done', id }),
          (error: unknown) => client.port.post({ type: 'done', id, error: String(error) }),
        )
        return
      }
      case 'start':
        return current.start()
      case 'reconnect':
        return current.reconnect(message.connection)
      case 'disconnect':
        return current.disconnect(message.connection)
      // Settings and snapshots apply to the one manager every tab of a shared engine uses.
      case 'enable':
        return current.setConnectionEnabled(message.connection, message.enabled)
      case 'throttle':
        return current.setThrottle(message.ms ?? undefined)
      case 'seed':
        return current.seedPrices(message.snapshot, { connection: message.connection })
      case 'send':
        return current.send(message.message, { connection: message.connection })
      case 'inspect':
        client.inspecting = true
        client.frames = message.frames
        syncFrameListener()
        sendFrame([client], diffStates(current.store.getState(), current.store.getState()))
        return
      case 'reply':
        return remote.settle(
          message.id,
          message.ok ? { ok: true, value: message.value } : { ok: false, message: message.message },
        )
      case 'attach':
      case 'detach':
        return
    }
  }

  function attach(client: Client, message: ClientMessage & { type: 'attach' }): void {
    client.attached = true
    for (const [name, connection] of Object.entries(message.config.connections)) {
      if (connection.getToken) client.answers.add(`getToken:${name}`)
      if (connection.fetchSnapshot) client.answers.add(`fetchSnapshot:${name}`)
    }
    if (!manager) {
      manager = start(message.config)
      configKey = JSON.stringify(message.config)
    } else if (JSON.stringify(message.config) !== configKey) {
      client.port.post({
        type: 'notice',
        message:
          'tickwire: this tab joined a shared engine that another tab started with a different config; it uses that config. Give each distinct config its own `sharedName`.',
      })
    }
    sendFrame([client], fullDiff(manager.store.getState()))
    if (message.lockName && options.waitForLock) {
      options.waitForLock(message.lockName, () => drop(client))
    }
  }

  return {
    get tabs() {
      return attached()
    },
    connect(port) {
      const client: Client = {
        port,
        attached: false,
        gone: false,
        holds: new Map(),
        prices: new Map(),
        answers: new Set(),
        inspecting: false,
        frames: false,
      }
      clients.add(client)
      return (message) => {
        if (client.gone) return
        if (message.type === 'attach') return attach(client, message)
        if (message.type === 'detach') {
          drop(client)
          return port.post({ type: 'closed' })
        }
        if (!manager || !client.attached) return
        try {
          handle(client, message, manager)
        } catch (error) {
          port.post({ type: 'fatal', message: String(error) })
        }
      }
    },
  }
}
