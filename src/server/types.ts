/**
 * Public types of `tickwire/server`: the options of `createFeedServer`, the running server and
 * its statistics (also the body of `GET /metrics`).
 */
import type { AppMessageHandler, RateLimitOptions } from './context'
import type { Market, PriceData, SymbolMove } from './market'
import type { EdgeMarketOptions, EdgeRedisStats } from './redis/edgeMarket'
import type { AppMessage, ServerMessage } from './messages'

/** Settings of the feed server's permessage-deflate (see `FeedServerOptions.compression`). */
export interface CompressionOptions {
  /**
   * Frames smaller than this many bytes are sent uncompressed (tiny frames gain nothing).
   * @defaultValue 128
   */
  thresholdBytes?: number
  /** zlib level, 1 (fastest) to 9 (smallest). @defaultValue 1 */
  level?: number
}

/** Options of `createFeedServer`. Every one is optional. */
export interface FeedServerOptions {
  /** TCP port; 0 picks a free one (read it back from `port`). @defaultValue 0 */
  port?: number
  /** Interface to listen on. @defaultValue '127.0.0.1' (not reachable from other machines) */
  host?: string
  /** Symbols the market knows. @defaultValue DEFAULT_SYMBOLS (106 crypto and stock names) */
  symbols?: readonly string[]
  /** Market moves per second; 0 moves only on `tick()` (deterministic tests). @defaultValue 10 */
  tickHz?: number
  /** Seed of the market's PRNG: same seed, same prices. @defaultValue 1 */
  seed?: number
  /** Share of the symbols that move at each tick. @defaultValue 0.25 */
  updateShare?: number
  /** WebSocket and SSE clients at once; the next WebSocket is closed with 4429. @defaultValue 1000 */
  maxConnections?: number
  /**
   * Checks the token of the client's first frame (`auth`). When given, a client must send
   * `auth` first; a refused token, another first frame or no auth within `authTimeoutMs`
   * closes the socket with 4401. @defaultValue undefined (no authentication)
   */
  verifyToken?: (token: string) => boolean | Promise<boolean>
  /** Time a client has to send `auth` when `verifyToken` is set. @defaultValue 10000 */
  authTimeoutMs?: number
  /** Frames per window per connection; past it `rate_limited`, or `false` for no limit. @defaultValue { maxFrames: 200, windowMs: 1000 } */
  rateLimit?: RateLimitOptions | false
  /** `bufferedAmount` past which a socket gets no more deltas until it drains. @defaultValue 262144 (256 KiB) */
  slowClientBytes?: number
  /** `heartbeatMs` advertised in `welcome`. @defaultValue 30000 */
  heartbeatMs?: number
  /**
   * Every this many ms the server pings each WebSocket client and terminates those that sent
   * nothing (not even the pong) since the previous round; 0 turns it off. @defaultValue 30000
   */
  pingIntervalMs?: number
  /** How long `close()` waits for closing handshakes before terminating sockets. @defaultValue 1000 */
  closeTimeoutMs?: number
  /**
   * permessage-deflate for WebSocket clients that offer it (browsers do; clients that do not
   * get plain frames). `false` turns it off: for CPU-bound servers, or when a proxy in front
   * compresses already. `stats().bytesSent` counts bytes before compression.
   * @defaultValue true (threshold 128 bytes, zlib level 1)
   */
  compression?: boolean | CompressionOptions
  /** Largest client frame accepted; bigger ones close the socket with 1009. @defaultValue 65536 */
  maxPayloadBytes?: number
  /**
   * Receives client frames whose `type` the protocol does not define, with a `reply` function
   * for the same socket. @defaultValue undefined (such frames are answered with `bad_request`)
   */
  onAppMessage?: AppMessageHandler
  /** Clock for `ts` and rate windows (never for prices). @defaultValue Date.now */
  now?: () => number
  /**
   * Run as an edge node: take the market from Redis, as a `createFeedPublisher` writes it,
   * instead of simulating one (`symbols`, `seed`, `tickHz` and `updateShare` are then
   * ignored). Clients are served exactly as without it. See docs/SCALING.md.
   * @defaultValue undefined (embedded simulated market, nothing else to run)
   */
  redis?: EdgeMarketOptions
}

/** What `stats()` and `GET /metrics` report. */
export interface FeedServerStats {
  /** Open WebSocket sessions. */
  connections: number
  /** Open SSE streams. */
  sseClients: number
  /** Subscribers per symbol (WebSocket and SSE), symbols without any left out. */
  subscriptions: Record<string, number>
  /** Frames (SSE writes included) sent in the last whole second. */
  framesPerSecond: number
  /** Bytes sent in the last whole second. */
  bytesPerSecond: number
  framesSent: number
  bytesSent: number
  /** Connections currently skipping deltas because they read too slowly. */
  slowClients: number
  /** Delta frames not sent to slow connections since start. */
  skippedFrames: number
  /** Bytes queued for all connections right now (`bufferedAmount` and SSE buffers). */
  bufferedBytes: number
  /** Largest per-connection queue seen when a frame was sent or skipped, since start. */
  maxBufferedBytes: number
  /** Market steps since start. */
  ticks: number
  /** Number of symbols the market knows. */
  symbols: number
  uptimeMs: number
  /** An edge node's Redis side (absent without `redis`). */
  redis?: EdgeRedisStats
}

/** A running feed server. */
export interface FeedServer {
  /** WebSocket URL, `ws://host:port/ws`. */
  readonly url: string
  /** REST base URL (`http://host:port`): the client appends `/prices?symbols=…`. */
  readonly restUrl: string
  /** SSE endpoint, `http://host:port/stream`. */
  readonly sseUrl: string
  /** The port actually bound. */
  readonly port: number
  /** The simulated market (read its snapshots to predict what clients receive). */
  readonly market: Market
  /** Counters, as `GET /metrics` reports them. */
  stats(): FeedServerStats
  /** Moves the market once now and sends the deltas (also works with `tickHz: 0`). */
  tick(): SymbolMove[]
  /** Sets fields of a symbol and sends them as a delta with the next seq. */
  publish(symbol: string, data: Partial<PriceData>): SymbolMove | undefined
  /**
   * Restart semantics for tests: the symbols' `seq` start again from 0 (default: every symbol).
   * With `snapshot: true` subscribers get a fresh snapshot at once, as a restarted server's
   * first message would be; otherwise they just see low seqs (duplicates to a client).
   */
  resetSeq(symbols?: readonly string[], options?: { snapshot?: boolean }): void
  /** Closes every client socket with `code` (default 1012, service restart) but keeps serving. */
  dropConnections(code?: number, reason?: string): void
  /**
   * Sends a frame to every WebSocket client: a protocol or application message (encoded per
   * session), or raw text or bytes sent as they are (tests of invalid frames).
   */
  broadcast(frame: ServerMessage | AppMessage | string | Buffer): void
  /** Closes every socket with 1001 (terminating those that do not finish), stops the market and frees the port. Idempotent. */
  close(): Promise<void>
}
