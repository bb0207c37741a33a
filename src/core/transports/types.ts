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

/** Built-in transports the connection config can name. */
export type TransportKind = 'websocket' | 'sse'

/** What a transport can do; the connection adapts to it and never to a transport's name. */
export interface TransportCapabilities {
  /**
   * Frames can go to the server: subscribe and unsubscribe frames, pings, application
   * messages. A one-way transport (SSE) is watched by staleness alone.
   */
  readonly twoWay: boolean
  /**
   * Where the wanted symbols travel: `'frames'` sent after open (WebSocket), or `'url'` given
   * to each open (SSE), so a changed set needs a new socket.
   */
  readonly symbols: 'frames' | 'url'
}

/**
 * A transport as the config can give it: its capabilities and its factory. Pass one as
 * `transport` to use a socket of your own (a loopback in tests, a platform socket).
 *
 * @example
 * ```ts
 * const loopback: TransportDefinition = {
 *   name: 'loopback',
 *   capabilities: { twoWay: true, symbols: 'frames' },
 *   open: (options, handlers) => myLoopback.connect(options, handlers),
 * }
 * createStreamManager({ url: 'loop://feed', transport: loopback })
 * ```
 */
export interface TransportDefinition {
  /** Named in errors (`no <name> transport could be made`). */
  readonly name: string
  readonly capabilities: TransportCapabilities
  readonly open: TransportFactory
}
