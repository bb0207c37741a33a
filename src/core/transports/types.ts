import type { Frame } from '../codecs/types'

/** What a transport reports to its connection. */
export interface TransportHandlers {
  /** The socket opened; `protocol` is the negotiated subprotocol ('' when none). */
  onOpen(protocol: string): void
  onFrame(frame: Frame): void
  /** The socket closed or failed to open. Never called after `close()`. */
  onClose(code: number, reason: string): void
  /** A transport error (the close that follows is reported separately). */
  onError(message: string): void
}

/** Everything a transport needs to open one socket. */
export interface TransportOpenOptions {
  url: string
  /** Subprotocols to offer, in order of preference. */
  protocols: readonly string[]
  /** Wanted symbols at open time; used by transports that carry them in the URL (SSE). */
  symbols: readonly string[]
}

/** One open (or opening) socket. */
export interface Transport {
  send(frame: Frame): void
  /**
   * Closes the socket and detaches at once: no handler is called after this returns, so a
   * half-open socket that never finishes its closing handshake cannot hold anything up.
   */
  close(code?: number, reason?: string): void
  /** Bytes queued by the socket and not yet sent, where the transport knows it. */
  readonly bufferedAmount?: number
}

/**
 * Opens a transport. Throws synchronously when no socket can be made at all (no
 * constructor, a bad URL): the connection then treats it as `no_websocket`.
 */
export type TransportFactory = (
  options: TransportOpenOptions,
  handlers: TransportHandlers,
) => Transport

/** Transports the connection config can name. */
export type TransportKind = 'websocket' | 'sse'

/** A REST snapshot of several symbols (PROTOCOL.md section 5), as the poller delivers it. */
export interface PolledSnapshot {
  prices: Record<string, { seq: number; ts?: number; data: Record<string, unknown> }>
  unknown: string[]
}

/**
 * Polls the REST side for the wanted symbols while a connection is in fallback. Runs through
 * @tanstack/query-core so retries, cancellation and focus/online pauses come from there.
 */
export interface Poller {
  /** Symbols to poll; a change takes effect at the next poll. */
  setSymbols(symbols: readonly string[]): void
  /** Polls at once, then every interval. Idempotent. */
  start(): void
  /** Stops polling and cancels any request in flight. */
  stop(): void
  /** Fetches once now (a snapshot on first subscribe, a refresh on focus or online). */
  refresh(): void
  destroy(): void
}
