/**
 * Public data shapes of tickwire's core: what the store holds and what the manager emits.
 * They are plain data on purpose: everything here can cross a postMessage boundary, which is
 * where a Worker or SharedWorker will sit later (see docs/ARCHITECTURE.md, section 5).
 */

/**
 * The state of one connection.
 * - `idle`: created, not started (`lazy` with no subscription yet), or an SSE connection
 *   with nothing wanted (reason `no_symbols`)
 * - `connecting`: the first attempt
 * - `open`: the socket is open
 * - `reconnecting`: waiting for or making a reconnect attempt
 * - `fallback`: polling REST while reconnecting in the background
 * - `offline`: the browser says it is offline; attempts paused until it is back
 * - `closed`: `disconnect()` or `destroy()`
 * - `error`: gave up (`max_attempts`, `unauthorized`)
 */
export type ConnectionStatus =
  'idle' | 'connecting' | 'open' | 'reconnecting' | 'fallback' | 'offline' | 'closed' | 'error'

/** Counters of one connection, kept for its whole life (they survive reconnects). */
export interface ConnectionStats {
  /** Frames received (a `batch` counts once). */
  messagesIn: number
  /** Frames sent. */
  messagesOut: number
  /** Bytes received: byte length of binary frames, string length of text frames. */
  bytesIn: number
  /** Bytes sent, measured as `bytesIn`. */
  bytesOut: number
  /**
   * Outbound frames dropped: the offline queue was full, or application frames held on an
   * open socket (rate-limit hold, pacing) passed `maxQueue`.
   */
  dropped: number
  /** Inbound frames or messages refused as invalid (PROTOCOL.md section 1). */
  invalid: number
  /** Reconnect attempts made. */
  reconnects: number
  /** Server `error` messages and transport errors. */
  errors: number
  /** When the last frame was received (ms since epoch). */
  lastMessageAt?: number
  /** When the current socket opened (ms since epoch). */
  connectedAt?: number
}

/** Whether and why a connection polls REST instead of streaming. */
export interface FallbackInfo {
  active: boolean
  /** Why polling started: `failures` (too many failed attempts) or `no_websocket`. */
  reason?: string
  /** When polling started (ms since epoch). */
  since?: number
}

/** How one connection is, as the store holds it. */
export interface ConnectionInfo {
  status: ConnectionStatus
  /**
   * What caused the last change: `stale`, `server_close:<code>`, `no_websocket`, `offline`,
   * `manual`, `max_attempts`, `unauthorized`, `no_symbols` (SSE with nothing wanted), ...
   */
  reason?: string
  /** Reconnect attempts since the last open (0 while open). */
  attempt: number
  /** When the next reconnect attempt is due (ms since epoch), while one is scheduled. */
  nextRetryAt?: number
  /** Last measured ping round trip in ms. */
  latencyMs?: number
  /** Smoothed ping round trip in ms (exponential moving average). */
  avgLatencyMs?: number
  fallback: FallbackInfo
  stats: ConnectionStats
  /**
   * Application frames (`send`) waiting to go out: kept while the socket is down, or held on an
   * open socket by a server's rate limit or the pacing of `maxFramesPerSecond`. Reaches the
   * store with the traffic counters (at most every 250 ms).
   */
  queuedFrames?: number
}

/** Where a shown price came from. */
export type PriceSource = 'stream' | 'poll' | 'cache'

/** Direction of the last price change; `null` for a first tick or an unchanged price. */
export type PriceDirection = 'up' | 'down' | null

/** The known state of one symbol. */
export interface PriceTick {
  symbol: string
  price: number
  bid?: number
  ask?: number
  volume?: number
  /** Percent change over 24 hours. */
  change24h?: number
  high24h?: number
  low24h?: number
  /** Every data key received for the symbol (a null-prototype copy), the ones above included. */
  data: Record<string, unknown>
  /** Sequence number of the last applied message. */
  seq: number
  /** Server time of the last applied message, or its receive time when the server sent none. */
  ts: number
  /** When the last applied message was received (ms since epoch). */
  receivedAt: number
  source: PriceSource
  /** True after `staleAfterMs` without an update. */
  stale: boolean
  direction: PriceDirection
  /** Name of the connection that serves this symbol. */
  connection: string
}

/** An error that stands for one symbol, such as `unknown_symbol`. */
export interface SymbolError {
  code: string
  message: string
}

/** Everything the store holds. The StreamManager is its only writer. */
export interface StreamState {
  /**
   * The latest tick per symbol. Read it like a plain record (`prices[symbol]`, `in`,
   * `Object.keys`/`entries`, spread, `JSON.stringify`); it is a read-only view that the manager
   * replaces at each write (assigning to it throws, and so does `structuredClone` of it: clone
   * `{ ...prices }`). A state captured earlier keeps its own values.
   */
  prices: Record<string, PriceTick>
  symbolErrors: Record<string, SymbolError>
  connections: Record<string, ConnectionInfo>
}

/** Payload of the manager's `status` event. */
export interface StatusEvent {
  connection: string
  newState: ConnectionStatus
  oldState: ConnectionStatus
  reason?: string
}

/** What kind of thing went wrong, for the manager's `error` event. */
export type StreamErrorKind = 'invalid_frame' | 'server_error' | 'transport' | 'auth'

/** Payload of the manager's `error` event. Never carries a token. */
export interface StreamErrorEvent {
  connection: string
  kind: StreamErrorKind
  /** Server error code, or a short reason for invalid frames (`too_large`, `bad_json`, ...). */
  code?: string
  message: string
  symbols?: string[]
}

/** Payload of the manager's `message` event: a server message the protocol does not handle. */
export interface AppMessageEvent {
  connection: string
  message: unknown
}

/** The manager's events and their payloads. */
export interface StreamEvents {
  status: StatusEvent
  error: StreamErrorEvent
  message: AppMessageEvent
}

/** Name of a manager event. */
export type StreamEventName = keyof StreamEvents
