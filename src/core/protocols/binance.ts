import type { Encoding } from '../codecs/types'
import { createBinanceEvents } from './binance-events'
import { createBinanceNames } from './binance-names'
import { createBinanceRequests } from './binance-requests'
import { invalid, isRecord } from './binanceValues'
import { plainCloseOutcome, plainErrorOutcome } from './outcomes'
import type { InboundEvent, ProtocolAdapter } from './types'

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
 *
 * The parts: binance-names.ts (app and exchange symbol names), binance-requests.ts (frames
 * and replies), binance-events.ts (market events and their numbering).
 */
export function binanceProtocol(options: BinanceProtocolOptions = {}): ProtocolAdapter {
  const streams: readonly BinanceStream[] =
    options.streams && options.streams.length > 0 ? [...new Set(options.streams)] : ['ticker']
  const hasTicker = streams.includes('ticker')
  const maxStreamsPerFrame = Math.max(1, Math.floor(options.maxStreamsPerFrame ?? 50))

  const names = createBinanceNames(options.symbols ?? {})
  const requests = createBinanceRequests(names, streams)
  const events = createBinanceEvents(names, hasTicker)

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
      events.restart(symbols)
      return requests.frame('SUBSCRIBE', symbols, id)
    },
    unsubscribe(symbols, id) {
      events.forget(symbols)
      return requests.frame('UNSUBSCRIBE', symbols, id)
    },
    resync: () => null,
    ping: () => null,
    decode(message: unknown): InboundEvent[] {
      try {
        if (isRecord(message)) {
          const reply = requests.decodeReply(message)
          if (reply !== undefined) return reply
          const stream = message['stream']
          if (typeof stream === 'string' && 'data' in message)
            return events.decode(message['data'], stream)
        }
        return events.decode(message, undefined)
      } catch (error) {
        // decode must never throw; nothing above should, but a hostile frame gets no chance.
        return [invalid('bad_frame', error instanceof Error ? error.message : String(error))]
      }
    },
  }
}
