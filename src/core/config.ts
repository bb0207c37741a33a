import type { Encoding, Codec } from './codecs/types'
import type { StoreDevtoolsSetting } from './prices/store-devtools'
import type { ProtocolAdapter } from './protocols/types'
import type { TimerProvider } from './timers'
import type { TransportDefinition, TransportKind } from './transports/types'
import type { QueryClient } from '@tanstack/query-core'

/** Backoff settings for reconnect attempts (PROTOCOL.md section 4). */
export interface ReconnectOptions {
  /** Delay before the first reconnect. @defaultValue 1000 */
  initialDelayMs?: number
  /** Upper bound of any delay. @defaultValue 60000 */
  maxDelayMs?: number
  /** Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]. @defaultValue 0.2 */
  jitter?: number
  /** Attempts before giving up with status `error`, reason `max_attempts`. @defaultValue 100 */
  maxAttempts?: number
}

/** A snapshot of several symbols from the REST side (PROTOCOL.md section 5). */
export interface RestSnapshot {
  prices: Record<string, { seq: number; ts?: number; data: Record<string, unknown> }>
  unknown?: string[]
}

/**
 * An event handler whose parameter is checked both ways (a method signature's rule), so the
 * `ws` package's and the DOM's sockets, whose handlers take richer event types, fit without
 * a cast.
 */
type EventHandler<E> = { handle(event: E): void }['handle']

/** Minimal WebSocket shape: the browser's global, or the `ws` package in Node. */
export interface WebSocketLike {
  readonly readyState: number
  readonly protocol: string
  readonly bufferedAmount: number
  binaryType: string
  onopen: EventHandler<unknown> | null
  onmessage: EventHandler<{ data: unknown }> | null
  onclose: EventHandler<{ code: number; reason: string }> | null
  onerror: EventHandler<unknown> | null
  send(data: string | ArrayBufferLike | ArrayBufferView): void
  close(code?: number, reason?: string): void
}

/** A WebSocket constructor. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/** Minimal EventSource constructor shape (the browser's, or the `eventsource` package). */
export interface EventSourceLike {
  onopen: EventHandler<unknown> | null
  onmessage: EventHandler<{ data: string }> | null
  onerror: EventHandler<unknown> | null
  readonly readyState: number
  close(): void
}

/** An EventSource constructor. */
export type EventSourceConstructor = new (url: string) => EventSourceLike

/** One named connection: one socket, its own state, statistics and wanted set. */
export interface ConnectionConfig {
  /** WebSocket URL (`ws:`/`wss:`), or the SSE endpoint with `transport: 'sse'`. */
  url: string
  /**
   * `'websocket'`, `'sse'`, or a transport of your own (its capabilities and factory).
   * @defaultValue 'websocket'
   */
  transport?: TransportKind | TransportDefinition
  /** Wire format adapter. @defaultValue tickwireProtocol() */
  protocol?: ProtocolAdapter
  /** Preferred encoding; the server's choice wins. @defaultValue 'json' */
  encoding?: Encoding
  /** Extra codecs by name, for adapters with their own encoding. */
  codecs?: Record<string, Codec>
  /** Base URL of the REST side; the client appends `/prices?symbols=…`. */
  restUrl?: string
  /** Fetches a REST snapshot; replaces the `restUrl` request when given. */
  fetchSnapshot?: (symbols: string[], signal: AbortSignal) => Promise<RestSnapshot>
  /** Called before every open; its token goes only into the `auth` frame. */
  getToken?: () => string | Promise<string>
  /** A disabled connection never opens. @defaultValue true */
  enabled?: boolean
  /** @defaultValue 30000 */
  heartbeatIntervalMs?: number
  /** Silence after which the socket is declared stale and replaced. @defaultValue 60000 */
  staleTimeoutMs?: number
  reconnect?: ReconnectOptions
  /** @defaultValue true */
  autoReconnect?: boolean
  /** Failed attempts in a row before REST polling starts. @defaultValue 3 */
  fallbackAfterFailures?: number
  /** @defaultValue 5000 */
  fallbackIntervalMs?: number
  /**
   * Application frames kept while offline, or held on an open socket during a rate-limit hold
   * or pacing wait; the oldest are dropped and counted in `stats.dropped`. @defaultValue 1000
   */
  maxQueue?: number
  /** Inbound frames larger than this are refused before decoding. @defaultValue 1048576 */
  maxMessageBytes?: number
  /** Open at the first subscription instead of at creation. @defaultValue false */
  lazy?: boolean
  /** WebSocket constructor to use (Node, tests). @defaultValue globalThis.WebSocket */
  WebSocket?: WebSocketConstructor
  /** EventSource constructor to use (Node, tests). @defaultValue globalThis.EventSource */
  EventSource?: EventSourceConstructor
}

/** Options of the whole manager. */
export interface StreamManagerOptions {
  /** Per symbol: the store changes at most once per this many ms; 0 turns it off. @defaultValue 100 */
  throttleMs?: number
  /** A symbol with no update for this long is marked stale. @defaultValue 30000 */
  staleAfterMs?: number
  /** A value is kept this long after its last subscriber leaves. @defaultValue 30000 */
  cacheTtlMs?: number
  /** The last release waits this long before unsubscribing. @defaultValue 1000 */
  unsubscribeDelayMs?: number
  /** Timers, clock and frame callback. @defaultValue defaultTimers */
  timers?: TimerProvider
  /** Query client for the REST side; the React provider passes the app's. */
  queryClient?: QueryClient
  /** Math.random replacement for jitter (tests). */
  random?: () => number
  /**
   * Open connections at creation. `false` leaves every connection `idle` until `start()`,
   * so a manager can be created during a React render without side effects.
   * @defaultValue true
   */
  autoStart?: boolean
  /**
   * Shows the store in the Redux DevTools browser extension (zustand's `devtools` middleware):
   * each frame's write is a `tickwire/frame` action. For development; `true` or settings.
   * @defaultValue false
   */
  devtools?: StoreDevtoolsSetting
  /**
   * Where the stream engine runs: `main` (this thread), `worker` (a dedicated Worker per
   * manager: sockets, decode, merge and throttle off the main thread, one diff per animation
   * frame back) or `shared` (one SharedWorker for every tab of the app: one socket per
   * connection however many tabs are open; leader election where SharedWorker is missing).
   * Falls back to `main`, with one warning, where Worker is missing or an option is a function
   * that cannot cross (see `createEngineManager`).
   * @defaultValue 'main'
   */
  engine?: EngineKind
  /**
   * Name of the SharedWorker of `engine: 'shared'`: tabs share a worker (and its sockets) only
   * when the origin and this name match. Give each distinct feed config its own name.
   * @defaultValue 'tickwire'
   */
  sharedName?: string
  /**
   * URL of the worker file, for setups whose bundler does not follow
   * `new Worker(new URL(…, import.meta.url))`: copy `tickwire/dist/core/engine-worker.js`
   * to your static files and point here. @defaultValue the file next to the package's core entry
   */
  workerUrl?: string | URL
}

/** Where a manager's stream engine runs (see {@link StreamManagerOptions.engine}). */
export type EngineKind = 'main' | 'worker' | 'shared'

/**
 * Configuration of `createStreamManager`: either `connections` by name, or the `url`
 * shorthand for one connection named `default` with its `ConnectionConfig` keys beside it.
 */
export type StreamManagerConfig = StreamManagerOptions &
  (
    | (ConnectionConfig & { connections?: never })
    | { connections: Record<string, ConnectionConfig>; url?: never }
  )

/** Resolved defaults, for documentation and for the code that applies them. */
export const DEFAULTS = {
  throttleMs: 100,
  staleAfterMs: 30_000,
  cacheTtlMs: 30_000,
  unsubscribeDelayMs: 1_000,
  heartbeatIntervalMs: 30_000,
  staleTimeoutMs: 60_000,
  reconnect: { initialDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.2, maxAttempts: 100 },
  autoReconnect: true,
  fallbackAfterFailures: 3,
  fallbackIntervalMs: 5_000,
  maxQueue: 1_000,
  maxMessageBytes: 1_048_576,
  lazy: false,
  encoding: 'json',
  transport: 'websocket',
  maxSymbolsPerFrame: 100,
  resyncRetryMs: 5_000,
  sseReopenDelayMs: 250,
  rateLimitRetryAfterS: 5,
  unauthorizedCloseLimit: 3,
  healthyAfterMs: 10_000,
} as const
