import type { WebSocketConstructor, WebSocketLike } from '../core'
import type { FrameDirection } from './frameRecorder'
import { maskUrl } from './mask'

/** Where a tapped socket reports each frame and event: its masked URL, the way, the data. */
export type FrameNote = (connection: string, direction: FrameDirection, data: unknown) => void

/**
 * A socket that behaves exactly as the one it wraps and reports a copy of every frame and
 * event to `note`. Handlers are installed on the inner socket once, in the constructor: it
 * always reports to the tap, which records and then calls whatever handler the transport set
 * (or none).
 */
class TappedSocket implements WebSocketLike {
  readonly #socket: WebSocketLike
  readonly #label: string
  readonly #note: FrameNote
  #onopen: WebSocketLike['onopen'] = null
  #onmessage: WebSocketLike['onmessage'] = null
  #onclose: WebSocketLike['onclose'] = null
  #onerror: WebSocketLike['onerror'] = null

  constructor(socket: WebSocketLike, label: string, note: FrameNote) {
    this.#socket = socket
    this.#label = label
    this.#note = note
    note(label, 'event', `connect ${label}`)
    socket.onopen = (event) => {
      note(label, 'event', `open (subprotocol "${socket.protocol}")`)
      this.#onopen?.(event)
    }
    socket.onmessage = (event) => {
      note(label, 'in', event.data)
      this.#onmessage?.(event)
    }
    socket.onclose = (event) => {
      note(label, 'event', `close ${event.code}${event.reason ? ` ${event.reason}` : ''}`)
      this.#onclose?.(event)
    }
    socket.onerror = (event) => {
      note(label, 'event', 'error')
      this.#onerror?.(event)
    }
  }
  get readyState() {
    return this.#socket.readyState
  }
  get protocol() {
    return this.#socket.protocol
  }
  get bufferedAmount() {
    return this.#socket.bufferedAmount
  }
  get binaryType() {
    return this.#socket.binaryType
  }
  set binaryType(value: string) {
    this.#socket.binaryType = value
  }
  get onopen() {
    return this.#onopen
  }
  set onopen(handler) {
    this.#onopen = handler
  }
  get onmessage() {
    return this.#onmessage
  }
  set onmessage(handler) {
    this.#onmessage = handler
  }
  get onclose() {
    return this.#onclose
  }
  set onclose(handler) {
    this.#onclose = handler
  }
  get onerror() {
    return this.#onerror
  }
  set onerror(handler) {
    this.#onerror = handler
  }
  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    this.#socket.send(data)
    this.#note(this.#label, 'out', data)
  }
  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason)
  }
}

/**
 * Wraps a WebSocket constructor (the global one when none is given) so that every socket it
 * makes reports its frames and events to `note`, labelled with its URL, secrets masked.
 */
export function tapWebSocket(
  WebSocket: WebSocketConstructor | undefined,
  note: FrameNote,
): WebSocketConstructor {
  const found = WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (!found)
    throw new Error('tickwire devtools: no WebSocket to tap; pass a constructor to frames.tap()')
  const Inner: WebSocketConstructor = found
  return class TappedWebSocket extends TappedSocket {
    constructor(url: string, protocols?: string | string[]) {
      const label = maskUrl(url)
      super(protocols === undefined ? new Inner(url) : new Inner(url, protocols), label, note)
    }
  }
}
