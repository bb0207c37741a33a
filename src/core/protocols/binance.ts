import type { Encoding } from '../codecs/types'
import {
  decimal,
  FORBIDDEN_SYMBOLS,
  invalid,
  isRecord,
  NOT_ALPHANUMERIC,
  TICKER_FIELDS,
} from './binanceValues'
import { plainCloseOutcome, plainErrorOutcome } from './outcomes'
import type { InboundEvent, ProtocolAdapter, TickData } from './types'

/** Binance market streams this adapter understands. */
export type BinanceStream = 'ticker' | 'bookTicker'

/** Options of {@link binanceProtocol}. */
export interface BinanceProtocolOptions {
  /**
   * Streams to subscribe per symbol. `ticker` (the 24hr rolling ticker, once a second) carries
   * last price, bid, ask, volume, percent change, high and low; `bookTicker` (real time) best
   * bid and ask only. With `bookTicker` alone, `price` is the mid of bid and ask.
   * @defaultValue ['ticker']: the only stream with a last price and the 24h figures.
   */
  streams?: readonly BinanceStream[]
  /**
   * Your symbol names mapped to Binance's, e.g. `{ 'BTC-USD': 'BTCUSDT' }`. Symbols not listed
   * are sent in the exchange's form: separators dropped and lowercased on the wire, so
   * `BTCUSDT`, `ETH-USDT` and `SOL/USDT` need no entry; prices come back under the name the
   * app subscribed with.
   * @defaultValue {}
   */
  symbols?: Readonly<Record<string, string>>
  /**
   * Streams per SUBSCRIBE or UNSUBSCRIBE frame. Binance documents no cap; small frames keep a
   * rejected request from taking many streams with it.
   * @defaultValue 50
   */
  maxStreamsPerFrame?: number
  /**
   * Outbound frames per second. Binance disconnects a connection that sends more than 5
   * messages a second, and counts its WebSocket pong frames among them: lower this if a
   * subscription burst may meet the server's ping.
   * @defaultValue 5
   */
  maxFramesPerSecond?: number
}

/** Streams one Binance connection may hold (exchange documentation, "WebSocket Limits"). */
export const BINANCE_MAX_STREAMS_PER_CONNECTION = 1024

/** The adapter's memory of one symbol on the current subscription. */
interface SymbolState {
  /** Sequence number of the last event handed out. */
  seq: number
  /** False until the snapshot that starts this subscription has been handed out. */
  started: boolean
}

/**
 * A protocol adapter for Binance's public spot market streams
 * (`wss://stream.binance.com:9443/ws` or `…/stream` for combined envelopes).
 *
 * Outbound: `{"method":"SUBSCRIBE","params":["btcusdt@ticker"],"id":1}` and the same with
 * `UNSUBSCRIBE`; no auth, no resync and no ping frame (the server pings at the WebSocket level
 * and the socket answers by itself; staleness then watches the stream).
 *
 * Inbound: raw events and combined envelopes `{"stream":…,"data":…}`; `24hrTicker` and
 * `bookTicker` events become snapshots and deltas, `{"result":null,"id":n}` an `ack`, error
 * objects (`{"code":2,"msg":…,"id":n}` or `{"error":{…},"id":n}`) an `error` carrying the
 * symbols of the frame it answers. Anything else (other streams, `serverShutdown`) is a
 * `message` for `message` listeners.
 *
 * Binance has no sequence numbers the manager can use, so the adapter numbers each symbol's
 * events itself: each `24hrTicker` is a complete picture and becomes a `snapshot` (so any
 * gap heals within a second and a reconnect needs nothing special), and each `bookTicker` in
 * between becomes a `delta` of bid and ask with the next seq. A `bookTicker` that comes before
 * the first ticker of a subscription is dropped, since a tick needs a price. Every `subscribe`
 * starts the symbol over, so the first event on a new socket is a snapshot; the protocol
 * cannot ask for snapshots, so `resync` returns null.
 *
 * @example
 * ```ts
 * createStreamManager({
 *   url: 'wss://stream.binance.com:9443/stream',
 *   protocol: binanceProtocol({ symbols: { 'BTC-USD': 'BTCUSDT' } }),
 * })
 * ```
 */
export function binanceProtocol(options: BinanceProtocolOptions = {}): ProtocolAdapter {
  const streams: readonly BinanceStream[] =
    options.streams && options.streams.length > 0 ? [...new Set(options.streams)] : ['ticker']
  const hasTicker = streams.includes('ticker')
  const maxStreamsPerFrame = Math.max(1, Math.floor(options.maxStreamsPerFrame ?? 50))

  // User name -> exchange name (uppercase), and back (lowercase key, as stream names carry it).
  const toExchange = new Map<string, string>()
  const fromExchange = new Map<string, string>()
  for (const [user, exchange] of Object.entries(options.symbols ?? {})) {
    toExchange.set(user, exchange.toUpperCase())
    fromExchange.set(exchange.toLowerCase(), user)
  }
  const state = new Map<string, SymbolState>()
  // The symbols of each outbound frame by id, so an error reply can name them. Bounded: an
  // id is forgotten once answered, and only the most recent ids are kept if replies never come.
  const pending = new Map<number, string[]>()
  const PENDING_LIMIT = 256

  // Binance names a market by its two assets run together (`ETHUSDT`): an app's `ETH-USDT` or
  // `SOL/USDT` is written that way on the wire, and `methodFrame` remembers the app's name so
  // events come back under it.
  const exchangeName = (symbol: string): string =>
    (toExchange.get(symbol) ?? symbol).replace(NOT_ALPHANUMERIC, '').toLowerCase()

  const userName = (exchangeLower: string): string => {
    const known = fromExchange.get(exchangeLower)
    if (known !== undefined) return known
    return exchangeLower.toUpperCase()
  }

  const methodFrame = (
    method: 'SUBSCRIBE' | 'UNSUBSCRIBE',
    symbols: readonly string[],
    id: number,
  ) => {
    const params: string[] = []
    for (const symbol of symbols) {
      const name = exchangeName(symbol)
      // Remembered so events come back under the name the app asked for, case included.
      if (!toExchange.has(symbol)) fromExchange.set(name, symbol)
      for (const stream of streams) params.push(`${name}@${stream}`)
    }
    pending.set(id, [...symbols])
    if (pending.size > PENDING_LIMIT) {
      const oldest = pending.keys().next()
      if (oldest.done !== true) pending.delete(oldest.value)
    }
    return { method, params, id }
  }

  const nextSeq = (symbol: string): SymbolState => {
    let entry = state.get(symbol)
    if (entry === undefined) {
      entry = { seq: -1, started: false }
      state.set(symbol, entry)
    }
    return entry
  }

  const tickerEvent = (symbol: string, raw: Record<string, unknown>): InboundEvent => {
    const data: TickData = Object.create(null) as TickData
    for (const [field, key] of TICKER_FIELDS) {
      const value = decimal(raw[key])
      if (value === undefined) {
        if (raw[key] !== undefined || field === 'price') {
          return invalid('bad_field', `24hrTicker ${symbol}: ${key} is not a number`)
        }
        continue
      }
      data[field] = value
    }
    const ts = raw['E']
    if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) {
      return invalid('bad_ts', `24hrTicker ${symbol}: E is not a number`)
    }
    const entry = nextSeq(symbol)
    entry.seq += 1
    entry.started = true
    return ts === undefined
      ? { type: 'snapshot', symbol, seq: entry.seq, data }
      : { type: 'snapshot', symbol, seq: entry.seq, ts, data }
  }

  const bookEvent = (symbol: string, raw: Record<string, unknown>): InboundEvent | null => {
    const bid = decimal(raw['b'])
    const ask = decimal(raw['a'])
    if (bid === undefined || ask === undefined) {
      return invalid('bad_field', `bookTicker ${symbol}: b or a is not a number`)
    }
    const entry = nextSeq(symbol)
    const data: TickData = Object.create(null) as TickData
    data['bid'] = bid
    data['ask'] = ask
    if (!hasTicker) {
      // A book ticker alone is complete: every event is a snapshot priced at the mid.
      data['price'] = (bid + ask) / 2
      entry.seq += 1
      entry.started = true
      return { type: 'snapshot', symbol, seq: entry.seq, data }
    }
    if (!entry.started) return null
    entry.seq += 1
    return { type: 'delta', symbol, seq: entry.seq, data }
  }

  /** One Binance event (the `data` of an envelope, or a raw frame). */
  const decodeEvent = (raw: unknown, streamName: string | undefined): InboundEvent[] => {
    if (Array.isArray(raw)) {
      // `!ticker@arr`-style payloads: an array of the single-symbol events.
      return raw.flatMap((item) => decodeEvent(item, undefined))
    }
    if (!isRecord(raw)) return [{ type: 'message', message: raw }]
    const kind = raw['e']
    const streamKind = streamName?.slice(streamName.indexOf('@') + 1)
    const isTicker = kind === '24hrTicker'
    // A raw bookTicker has no `e`: it is known by its update id and fields, or by its stream.
    const isBook =
      kind === undefined &&
      (streamKind === 'bookTicker' || (typeof raw['u'] === 'number' && 'b' in raw && 'a' in raw))
    if (!isTicker && !isBook) return [{ type: 'message', message: raw }]
    const s = raw['s']
    if (typeof s !== 'string') return [invalid('bad_symbol', 'event without a symbol')]
    const symbol = userName(s.replace(NOT_ALPHANUMERIC, '').toLowerCase())
    if (FORBIDDEN_SYMBOLS.has(symbol)) return [invalid('bad_symbol', 'forbidden symbol name')]
    if (isTicker) return [tickerEvent(symbol, raw)]
    const event = bookEvent(symbol, raw)
    return event === null ? [] : [event]
  }

  const decodeReply = (raw: Record<string, unknown>): InboundEvent[] | undefined => {
    const id = raw['id']
    const numericId = typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined
    const nested = raw['error']
    const error = isRecord(nested) ? nested : 'code' in raw && 'msg' in raw ? raw : undefined
    if (error !== undefined) {
      const symbols = numericId === undefined ? undefined : pending.get(numericId)
      if (numericId !== undefined) pending.delete(numericId)
      const code = error['code']
      const msg = typeof error['msg'] === 'string' ? error['msg'] : 'error'
      const event: InboundEvent = {
        type: 'error',
        // Codes 0 to 3 are all malformed-request replies in the exchange's table.
        code:
          typeof code === 'number' && code >= 0 && code <= 3
            ? 'bad_request'
            : `binance_${String(code)}`,
        message: msg,
        ...(symbols === undefined ? {} : { symbols }),
        ...(numericId === undefined ? {} : { id: numericId }),
      }
      return [event]
    }
    if ('result' in raw && 'id' in raw) {
      if (numericId !== undefined) pending.delete(numericId)
      // `null` acknowledges SUBSCRIBE/UNSUBSCRIBE; anything else answers a query the app sent.
      if (raw['result'] === null && numericId !== undefined) return [{ type: 'ack', id: numericId }]
      return [{ type: 'message', message: raw }]
    }
    return undefined
  }

  return {
    name: 'binance',
    // The exchange has no close code or error code with a meaning of its own for the client.
    closeOutcome: plainCloseOutcome,
    errorOutcome: plainErrorOutcome,
    subprotocols(_encoding: Encoding): string[] {
      // Binance negotiates nothing and speaks JSON text only, whatever is preferred.
      return []
    },
    maxSymbolsPerFrame: Math.max(1, Math.floor(maxStreamsPerFrame / streams.length)),
    maxFramesPerSecond: options.maxFramesPerSecond ?? 5,
    maxSymbolsPerConnection: Math.floor(BINANCE_MAX_STREAMS_PER_CONNECTION / streams.length),
    auth: () => null,
    subscribe(symbols, id) {
      // Whatever came before (an earlier socket, an earlier subscription), the next event of
      // each symbol starts over with a snapshot.
      for (const symbol of symbols) {
        const entry = state.get(symbol)
        if (entry !== undefined) entry.started = false
      }
      return methodFrame('SUBSCRIBE', symbols, id)
    },
    unsubscribe(symbols, id) {
      for (const symbol of symbols) state.delete(symbol)
      return methodFrame('UNSUBSCRIBE', symbols, id)
    },
    resync: () => null,
    ping: () => null,
    decode(message: unknown): InboundEvent[] {
      try {
        if (isRecord(message)) {
          const reply = decodeReply(message)
          if (reply !== undefined) return reply
          const stream = message['stream']
          if (typeof stream === 'string' && 'data' in message)
            return decodeEvent(message['data'], stream)
        }
        return decodeEvent(message, undefined)
      } catch (error) {
        // decode must never throw; nothing above should, but a hostile frame gets no chance.
        return [invalid('bad_frame', error instanceof Error ? error.message : String(error))]
      }
    },
  }
}
