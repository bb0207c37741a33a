import type { WebSocketConstructor, WebSocketLike } from '../config'
import type { Frame } from '../codecs/types'
import type { Transport, TransportFactory, TransportHandlers, TransportOpenOptions } from './types'

/** Turns whatever a WebSocket implementation delivers into a Frame, or null when it cannot. */
function toFrame(data: unknown): Frame | null {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  // Node's `ws` may hand a Buffer (a Uint8Array) or an array of Buffers when binaryType is ignored.
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array)) {
    const parts = data as Uint8Array[]
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
    let at = 0
    for (const p of parts) {
      out.set(p, at)
      at += p.byteLength
    }
    return out
  }
  return null
}

const noop = (): void => undefined

/**
 * A WebSocket transport: one socket per call of the returned factory.
 *
 * - `binaryType` is `'arraybuffer'`, and binary frames are handed on as `Uint8Array` (a Blob
 *   would need an async read and break frame order).
 * - `close()` detaches at once: no handler runs after it returns, so a half-open socket whose
 *   closing handshake never completes holds nothing up. The socket's own handlers are replaced
 *   by no-ops rather than removed, because Node's `ws` throws on an `error` event nobody hears.
 * - `onClose` is called at most once.
 *
 * @param ctor - WebSocket constructor to use. @defaultValue `globalThis.WebSocket`, read when a
 *   socket opens (never at import, so importing in Node or during SSR touches nothing). Node 20
 *   has no global: pass the `ws` package's `WebSocket`.
 * @throws synchronously from the returned factory when there is no constructor or it throws
 *   (a malformed URL): the connection treats that as `no_websocket`.
 */
export function createWebSocketTransport(ctor?: WebSocketConstructor): TransportFactory {
  return (options: TransportOpenOptions, handlers: TransportHandlers): Transport => {
    const Ctor = ctor ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
    if (typeof Ctor !== 'function') {
      throw new Error('No WebSocket constructor: pass `WebSocket` in the connection config')
    }
    const socket: WebSocketLike =
      options.protocols.length > 0
        ? new Ctor(options.url, [...options.protocols])
        : new Ctor(options.url)
    socket.binaryType = 'arraybuffer'
    let attached = true

    const detach = (): void => {
      attached = false
      socket.onopen = noop
      socket.onmessage = noop
      socket.onclose = noop
      socket.onerror = noop
    }

    socket.onopen = () => {
      if (attached) handlers.onOpen(socket.protocol ?? '')
    }
    socket.onmessage = (event) => {
      if (!attached) return
      const frame = toFrame(event.data)
      if (frame === null) handlers.onError('unsupported frame data')
      else handlers.onFrame(frame)
    }
    socket.onerror = () => {
      // Browsers give no detail here on purpose; the close that follows carries the code.
      if (attached) handlers.onError('websocket error')
    }
    socket.onclose = (event) => {
      if (!attached) return
      detach()
      handlers.onClose(event.code, event.reason)
    }

    return {
      send(frame: Frame): void {
        socket.send(frame)
      },
      close(code?: number, reason?: string): void {
        if (!attached) return
        detach()
        try {
          socket.close(code, reason)
        } catch {
          // An invalid code, or a socket still connecting in an implementation that throws:
          // the socket is abandoned either way, which is what close() promises.
        }
      },
      get bufferedAmount(): number {
        return socket.bufferedAmount
      },
    }
  }
}
