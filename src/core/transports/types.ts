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
