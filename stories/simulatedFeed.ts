/**
 * An in-browser feed server for the stories: a WebSocket-like class that speaks PROTOCOL.md
 * (JSON subprotocol) on top of the reference server's seeded market, plus a REST snapshot
 * function for fallback polling. Passed to the manager as `WebSocket` and `fetchSnapshot`, it
 * lets every story run anywhere, a static Storybook build included, with no server.
 *
 * It can misbehave on command: drop the connection, stall, refuse reconnects, send garbage,
 * skip sequence numbers, go offline, answer pings slowly, and change its rate and size.
 */
import type { RestSnapshot, WebSocketConstructor, WebSocketLike } from '../src/core/config'
import { DEFAULT_SYMBOLS } from '../src/server/catalogue'
import { createMarket, type Market, type SymbolMove } from '../src/server/market'

/** The knobs of a simulated feed; every one can change while sockets are open. */
export interface FeedSettings {
  /** Market moves per second; each move reaches each socket as one `batch` frame. */
  rate: number
  /** How many symbols the stories show (the market itself always has the full list). */
  symbolCount: number
  /** Delay of each `pong`, in ms: above 1000 the status turns Delayed. */
  latencyMs: number
  /** Open sockets stay open but nothing is sent: no data, no pongs. */
  stalled: boolean
  /** New sockets fail before opening, as when the server is down. */
  refuseConnections: boolean
  /** The browser is offline: sockets drop, new ones fail, and `offline` is dispatched. */
  offline: boolean
}

/** What the control panel shows about the feed. */
export interface FeedSnapshot {
  settings: FeedSettings
  openSockets: number
  /** The latest things the feed did on command, newest first. */
  log: readonly string[]
}

/** Options of {@link createSimulatedFeed}. */
export interface SimulatedFeedOptions extends Partial<FeedSettings> {
  /** PRNG seed of the market: the same seed gives the same prices. @defaultValue 7 */
  seed?: number
  /** Share of the symbols that move in one market move. @defaultValue 0.2 */
  updateShare?: number
  /** Time from `new WebSocket()` to `open` (or failure), in ms. @defaultValue 150 */
  connectDelayMs?: number
  /** The market's symbols; names it does not know get a made-up price. @defaultValue DEFAULT_SYMBOLS */
  symbols?: readonly string[]
}

/** A simulated feed with its controls. */
export interface SimulatedFeed {
  /** The constructor to pass as `WebSocket` in the manager's config. */
  readonly WebSocket: WebSocketConstructor
  /** The REST side, to pass as `fetchSnapshot`: it fails while refusing or offline. */
  fetchSnapshot(symbols: string[], signal: AbortSignal): Promise<RestSnapshot>
  /** The symbols the stories show: the first `symbolCount` of the market. */
  symbols(): string[]
  update(settings: Partial<FeedSettings>): void
  /** Closes every open socket abnormally (1006), as a network cut does. */
  drop(): void
  /** Sends a few invalid frames on every open socket (each is counted as invalid). */
  sendGarbage(): void
  /** The next move skips a sequence number for every symbol it moves (a gap to resync). */
  skipSequence(): void
  /** Sends an application message (a type the protocol does not know) on every open socket. */
  sendMessage(message: { type: string } & Record<string, unknown>): void
  subscribe(listener: () => void): () => void
  getSnapshot(): FeedSnapshot
  /** Closes every socket and stops every timer. */
  destroy(): void
}

/** The URL the stories give the manager; the simulated socket accepts any URL. */
export const SIMULATED_URL = 'wss://simulated.feed.invalid/ws'

const CONNECTING = 0
const OPEN = 1
const CLOSING = 2
const CLOSED = 3

/** Creates a feed; no timer runs until a socket opens, so creating one in render is safe. */
export function createSimulatedFeed(options: SimulatedFeedOptions = {}): SimulatedFeed {
  let settings: FeedSettings = {
    rate: options.rate ?? 4,
    symbolCount: options.symbolCount ?? 12,
    latencyMs: options.latencyMs ?? 40,
    stalled: options.stalled ?? false,
    refuseConnections: options.refuseConnections ?? false,
    offline: options.offline ?? false,
  }
  const connectDelayMs = options.connectDelayMs ?? 150
  const market: Market = createMarket({
    symbols: options.symbols ?? DEFAULT_SYMBOLS,
    seed: options.seed ?? 7,
    updateShare: options.updateShare ?? 0.2,
  })
  const sockets = new Set<SimulatedSocket>()
  const listeners = new Set<() => void>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let ticker: ReturnType<typeof setInterval> | undefined
  let log: string[] = []
  let skipNext = false
  let snapshot: FeedSnapshot | undefined

  const changed = () => {
    snapshot = undefined
    for (const listener of listeners) listener()
  }
  const note = (line: string) => {
    log = [`${new Date().toLocaleTimeString('en-GB')} ${line}`, ...log].slice(0, 6)
    changed()
  }
  const later = (ms: number, fn: () => void) => {
    const id = setTimeout(() => {
      timers.delete(id)
      fn()
    }, ms)
    timers.add(id)
  }

  function restartTicker() {
    if (ticker !== undefined) clearInterval(ticker)
    ticker = undefined
    if (sockets.size === 0 || settings.rate <= 0) return
    ticker = setInterval(move, 1000 / settings.rate)
  }

  function move() {
    const moves = market.step()
    if (skipNext) {
      skipNext = false
      // Bump each moved symbol once more, so the client sees seq jump by two.
      for (let i = 0; i < moves.length; i++) {
        const m = moves[i] as SymbolMove
        market.resetSeq(m.symbol, m.seq + 1)
        moves[i] = { ...m, seq: m.seq + 1 }
      }
    }
    for (const socket of sockets) socket.deliver(moves)
  }

  class SimulatedSocket implements WebSocketLike {
    readyState = CONNECTING
    protocol = ''
    readonly bufferedAmount = 0
    binaryType = 'blob'
    onopen: ((event: unknown) => void) | null = null
    onmessage: ((event: { data: unknown }) => void) | null = null
    onclose: ((event: { code: number; reason: string }) => void) | null = null
    onerror: ((event: unknown) => void) | null = null
    /** Symbols this socket subscribed. */
    private readonly wanted = new Set<string>()

    constructor(_url: string, protocols?: string | string[]) {
      const offered = typeof protocols === 'string' ? [protocols] : (protocols ?? [])
      later(connectDelayMs, () => {
        if (this.readyState !== CONNECTING) return
        if (settings.refuseConnections || settings.offline) {
          this.finish(1006, '')
          return
        }
        // JSON only: a client that offers MessagePack first still gets JSON, as the spec allows.
        this.protocol = offered.includes('tickwire.v1.json') ? 'tickwire.v1.json' : ''
        this.readyState = OPEN
        sockets.add(this)
        restartTicker()
        changed()
        this.onopen?.({ type: 'open' })
        this.push({ type: 'welcome', serverTime: Date.now(), heartbeatMs: 30_000 })
      })
    }

    send(data: string | ArrayBufferLike | ArrayBufferView): void {
      if (this.readyState !== OPEN) return
      let message: unknown
      try {
        message = typeof data === 'string' ? JSON.parse(data) : undefined
      } catch {
        message = undefined
      }
      if (typeof message !== 'object' || message === null) {
        this.push({ type: 'error', code: 'bad_request', message: 'frame is not a JSON object' })
        return
      }
      const frame = message as { type?: unknown; symbols?: unknown; ts?: unknown }
      const symbols = Array.isArray(frame.symbols)
        ? frame.symbols.filter((s): s is string => typeof s === 'string')
        : []
      switch (frame.type) {
        case 'subscribe':
        case 'resync': {
          const known = symbols.filter((s) => market.has(s))
          const unknown = symbols.filter((s) => !market.has(s))
          for (const s of known) this.wanted.add(s)
          if (unknown.length > 0) {
            this.push({
              type: 'error',
              code: 'unknown_symbol',
              message: 'no such symbol',
              symbols: unknown,
            })
          }
          if (known.length > 0)
            this.push({
              type: 'batch',
              messages: known.map((s) => ({ type: 'snapshot', ...market.snapshot(s) })),
            })
          break
        }
        case 'unsubscribe':
          for (const s of symbols) this.wanted.delete(s)
          break
        case 'ping':
          // The pong is held back by the latency knob; a stalled feed never answers.
          later(settings.latencyMs, () => this.push({ type: 'pong', ts: frame.ts }))
          break
        case 'auth':
          break
        default:
          this.push({ type: 'error', code: 'bad_request', message: 'unknown message type' })
      }
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState === CLOSING || this.readyState === CLOSED) return
      this.readyState = CLOSING
      later(0, () => this.finish(code, reason))
    }

    /** The moves of one market step, as one batch of this socket's symbols. */
    deliver(moves: readonly SymbolMove[]) {
      const mine = moves.filter((m) => this.wanted.has(m.symbol))
      if (mine.length > 0)
        this.push({ type: 'batch', messages: mine.map((m) => ({ type: 'delta', ...m })) })
    }

    /** Sends raw text, bypassing JSON: for garbage. */
    pushRaw(text: string) {
      if (this.readyState !== OPEN || settings.stalled) return
      this.onmessage?.({ data: text })
    }

    push(message: unknown) {
      this.pushRaw(JSON.stringify(message))
    }

    finish(code: number, reason: string) {
      const wasOpen = sockets.delete(this)
      this.readyState = CLOSED
      if (wasOpen) restartTicker()
      changed()
      if (code === 1006) this.onerror?.({ type: 'error' })
      this.onclose?.({ code, reason })
    }
  }

  const setOnline = (online: boolean) => {
    // What the browser does: the manager learns it through the window events.
    if (typeof window !== 'undefined')
      window.dispatchEvent(new Event(online ? 'online' : 'offline'))
  }

  return {
    WebSocket: SimulatedSocket,
    fetchSnapshot(symbols, signal) {
      return new Promise<RestSnapshot>((resolve, reject) => {
        if (settings.refuseConnections || settings.offline) {
          reject(new Error('simulated feed: REST refused'))
          return
        }
        later(settings.latencyMs, () => {
          if (signal.aborted) return reject(new Error('aborted'))
          const prices: RestSnapshot['prices'] = {}
          const unknown: string[] = []
          for (const s of symbols) {
            const snap = market.snapshot(s)
            if (snap) prices[s] = { seq: snap.seq, ts: snap.ts, data: { ...snap.data } }
            else unknown.push(s)
          }
          resolve({ prices, unknown })
        })
      })
    },
    symbols: () => market.symbols.slice(0, settings.symbolCount),
    update(next) {
      const before = settings
      settings = { ...settings, ...next }
      if (before.rate !== settings.rate) restartTicker()
      if (!before.offline && settings.offline) {
        note('went offline')
        setOnline(false)
        for (const socket of [...sockets]) socket.finish(1006, '')
      } else if (before.offline && !settings.offline) {
        note('back online')
        setOnline(true)
      }
      if (before.stalled !== settings.stalled) note(settings.stalled ? 'stalled' : 'resumed')
      if (before.refuseConnections !== settings.refuseConnections) {
        note(settings.refuseConnections ? 'refusing connections' : 'accepting connections')
      }
      changed()
    },
    drop() {
      note(`dropped ${sockets.size} socket(s)`)
      for (const socket of [...sockets]) socket.finish(1006, '')
    },
    sendGarbage() {
      for (const socket of sockets) {
        socket.pushRaw('{"type":"snapshot", this is not JSON')
        socket.push({ type: 'delta', symbol: '__proto__', seq: 1, data: { price: 1 } })
        socket.push({ type: 'snapshot', symbol: 'BTC-USD', seq: -1, data: { price: 'NaN' } })
      }
      note('sent 3 invalid frames per socket')
    },
    skipSequence() {
      skipNext = true
      note('next move skips a sequence number')
    },
    sendMessage(message) {
      for (const socket of sockets) socket.push(message)
      note(`sent a "${message.type}" message`)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot() {
      snapshot ??= { settings, openSockets: sockets.size, log }
      return snapshot
    },
    destroy() {
      for (const socket of [...sockets]) socket.finish(1001, 'feed destroyed')
      if (ticker !== undefined) clearInterval(ticker)
      ticker = undefined
      for (const id of timers) clearTimeout(id)
      timers.clear()
      listeners.clear()
      if (settings.offline) setOnline(true)
    },
  }
}
