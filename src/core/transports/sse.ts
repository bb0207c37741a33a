import type { EventSourceConstructor, EventSourceLike } from '../config'
import type { Transport, TransportFactory, TransportOpenOptions } from './types'

/** `EventSource.CLOSED`, spelled out so nothing global is read at import. */
const CLOSED = 2

/**
 * Builds the stream URL: `<url>?symbols=A,B`, or `&symbols=` when the URL already has a
 * query (PROTOCOL.md section 6). Each symbol is percent-encoded on its own so the commas
 * stay literal separators the server can split on.
 */
export function sseUrl(url: string, symbols: readonly string[]): string {
  const list = symbols.map((symbol) => encodeURIComponent(symbol)).join(',')
  const hashAt = url.indexOf('#')
  // A fragment is never sent to the server; keep it after the query where it belongs.
  const base = hashAt === -1 ? url : url.slice(0, hashAt)
  const hash = hashAt === -1 ? '' : url.slice(hashAt)
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'
  return `${base}${separator}symbols=${list}${hash}`
}

/**
 * A Server-Sent Events transport (`transport: 'sse'`).
 *
 * Opens `<url>?symbols=A,B` with the given `EventSource` constructor, or the global one
 * looked up when a stream opens (never at import, so server rendering and Node imports touch
 * nothing). Each message's `data` string is handed to `onFrame` as one text frame; `onOpen`
 * gets `''` because SSE negotiates no subprotocol.
 *
 * Any error closes the stream and reports `onClose(1006, …)`: a browser's EventSource would
 * otherwise retry on its own schedule, but the connection owns retries, backoff and fallback,
 * so two retry loops must not run at once. The stream is one-way: `send()` drops the frame
 * (in SSE mode the wanted set travels in the URL and a change reopens the stream).
 *
 * @param ctor - EventSource constructor to use. @defaultValue `globalThis.EventSource`,
 *   read when a stream opens. Node has none: pass the `eventsource` package's.
 * @throws synchronously from the returned factory when no constructor exists or it throws
 *   (a bad URL), so the connection can treat it as "no transport at all".
 */
export function createSseTransport(ctor?: EventSourceConstructor): TransportFactory {
  return (options: TransportOpenOptions, handlers): Transport => {
    const EventSourceCtor =
      ctor ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource
    if (typeof EventSourceCtor !== 'function') {
      throw new Error('No EventSource constructor: pass `EventSource` in the connection config')
    }
    const source: EventSourceLike = new EventSourceCtor(sseUrl(options.url, options.symbols))
    let attached = true

    const detach = (): void => {
      attached = false
      source.onopen = null
      source.onmessage = null
      source.onerror = null
      source.close()
    }

    source.onopen = () => {
      if (attached) handlers.onOpen('')
    }
    source.onmessage = (event) => {
      if (attached && typeof event.data === 'string') handlers.onFrame(event.data)
    }
    source.onerror = (event) => {
      if (!attached) return
      const closed = source.readyState === CLOSED
      // Detach before reporting: a handler that opens a new stream must not see this one again.
      detach()
      const message = errorMessage(event)
      handlers.onError(message)
      handlers.onClose(1006, closed ? message : `${message} (stream closed by the client)`)
    }

    return {
      send(): void {
        // One-way transport: nothing can reach the server over an event stream.
      },
      close(): void {
        if (attached) detach()
      },
    }
  }
}

/** The most useful text an EventSource error event carries (the `eventsource` package adds one). */
function errorMessage(event: unknown): string {
  if (typeof event === 'object' && event !== null) {
    const { message, code } = event as { message?: unknown; code?: unknown }
    if (typeof message === 'string' && message !== '') {
      return typeof code === 'number' ? `EventSource error ${code}: ${message}` : message
    }
    if (typeof code === 'number') return `EventSource error ${code}`
  }
  return 'EventSource error'
}
