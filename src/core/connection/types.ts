import type { Frame } from '../codecs/types'
import type { InboundEvent, TickData } from '../protocols/types'
import type { ConnectionInfo, StatusEvent, StreamErrorEvent } from '../types'

/**
 * The inbound events a connection hands to the manager: price data, application messages,
 * and symbol errors. Everything else (welcome, pong, rate limits, auth, invalid frames) the
 * connection handles itself.
 */
export type DataEvent =
  | Extract<InboundEvent, { type: 'message' }>
  | { type: 'symbol_error'; code: string; message: string; symbols: string[] }

/** How a connection talks back to the manager that owns it. */
export interface ConnectionCallbacks {
  /** An application message or a symbol error; `receivedAt` is when its frame arrived. */
  onData(event: DataEvent, receivedAt: number): void
  /**
   * A valid snapshot or delta, as arguments rather than an event object: the hot path, one
   * call per message.
   */
  onTick(
    type: 'snapshot' | 'delta',
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: TickData,
    receivedAt: number,
  ): void
  /** The status changed (already reflected in `getInfo()`). */
  onStatus(event: StatusEvent): void
  onError(event: StreamErrorEvent): void
  /**
   * Something in `getInfo()` changed. `'counters'` when only traffic counters moved (frames and
   * bytes in, `lastMessageAt`, invalid or error counts from inbound frames): called per inbound
   * frame, so the manager writes such changes to the store at most every
   * `COUNTERS_INTERVAL_MS`. Without an argument something a UI shows changed (status, reason,
   * attempt, retry time, latency, fallback, ...): the manager copies the info at its next frame.
   */
  onInfoChange(kind?: 'counters'): void
  /** A socket opened and the wanted set was sent on it. */
  onOpen?(): void
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
   * The full set of symbols the server should stream on this connection: `symbols` (held ones
   * and those whose release still waits), of which `held` are held now (default: all). While
   * open, the connection sends the difference against what this socket was sent (frames of at
   * most `maxSymbolsPerFrame`): a symbol no longer wanted is unsubscribed, a held one not yet
   * subscribed is subscribed. A new socket carries only the held set, so a symbol released while
   * the socket was down is not subscribed again only to be unsubscribed a second later.
   * Symbols beyond the protocol's `maxSymbolsPerConnection` are not sent but reported as a
   * `symbol_error` of code `limit_exceeded`. With a transport that carries symbols in its URL,
   * an empty set closes the stream (status `idle`, reason `no_symbols`) and the first held
   * symbol opens it again.
   */
  setWanted(symbols: readonly string[], held?: readonly string[]): void
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
