import type { Frame } from './codecs/types'
import type { InboundEvent } from './protocols/types'
import type { ConnectionInfo, StatusEvent, StreamErrorEvent } from './types'

/**
 * The inbound events a connection hands to the manager: price data, application messages,
 * and symbol errors. Everything else (welcome, pong, rate limits, auth, invalid frames) the
 * connection handles itself.
 */
export type DataEvent =
  | Extract<InboundEvent, { type: 'snapshot' | 'delta' | 'message' }>
  | { type: 'symbol_error'; code: string; message: string; symbols: string[] }

/** How a connection talks back to the manager that owns it. */
export interface ConnectionCallbacks {
  /** One inbound data event; `receivedAt` is when its frame arrived. */
  onData(event: DataEvent, receivedAt: number): void
  /** The status changed (already reflected in `getInfo()`). */
  onStatus(event: StatusEvent): void
  onError(event: StreamErrorEvent): void
  /**
   * Something in `getInfo()` changed, statistics included. Called often (per frame): the
   * manager only marks the connection dirty and copies the info at its next flush.
   */
  onInfoChange(): void
  /** A socket opened and the wanted set was sent on it. */
  onOpen(): void
  /** Every frame in and out (devtools); an `auth` frame is `null`. Absent: no work at all. */
  onFrame?(direction: 'in' | 'out', frame: Frame | null): void
}

/**
 * One connection: a socket's life (state machine, heartbeat, backoff, fallback decision,
 * outbound queue, statistics). It knows nothing about prices or reference counts: the
 * manager tells it the wanted set, and it keeps the server in step with it.
 */
export interface Connection {
  readonly name: string
  /** Starts connecting if not started (a `lazy` connection waits for this). Idempotent. */
  start(): void
  /**
   * The full set of symbols the server should stream on this connection. While open, the
   * connection sends the difference against what this socket was sent (subscribe and
   * unsubscribe frames of at most `maxSymbolsPerFrame`); on every open it sends the whole set.
   * Symbols beyond the protocol's `maxSymbolsPerConnection` are not sent but reported as a
   * `symbol_error` of code `limit_exceeded`. In SSE mode an empty set closes the stream
   * (status `idle`, reason `no_symbols`) and the first symbol opens it again.
   */
  setWanted(symbols: readonly string[]): void
  /** Asks for fresh snapshots (after a sequence gap). */
  resync(symbols: readonly string[]): void
  /** Sends an application message; queued (bounded by `maxQueue`) while not open. */
  send(message: unknown): void
  /** Reconnects now, skipping any backoff wait; clears a sticky `disconnect()`. */
  reconnect(): void
  /** Closes and stays closed (status `closed`, reason `manual`) until `reconnect()`. */
  disconnect(): void
  /** Closes the socket and clears every timer and listener. */
  destroy(): void
  /** A copy of the current info. */
  getInfo(): ConnectionInfo
}
