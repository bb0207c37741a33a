/**
 * An in-process WebSocket for the fuzz and queue suites: the real manager, connection and
 * WebSocket transport run unchanged, and the test delivers frames by calling the socket's
 * `onmessage` exactly as a browser would. Synchronous, so ten thousand cases take seconds and
 * anything thrown by the inbound path surfaces in the test's own call.
 */
import type { WebSocketConstructor, WebSocketLike } from '../../../src/core/config'

export interface FakeSocket extends WebSocketLike {
  readonly url: string
  readonly protocols: string[]
  /** Every frame the client sent, as sent (JSON text for the tickwire protocol). */
  readonly sent: (string | ArrayBufferLike | ArrayBufferView)[]
  /** Close code the client gave, once it closed. */
  readonly closedWith: number | undefined
  /** Opens the socket (the server picked `protocol`). */
  open(protocol?: string): void
  /** Delivers one frame as the browser would: a string for text, an ArrayBuffer for binary. */
  deliver(data: string | ArrayBuffer): void
  /** The server side closes (or the network drops with 1006). */
  serverClose(code?: number): void
}

/** A constructor plus every socket it made, newest last. */
export function fakeWebSocket(): { WebSocket: WebSocketConstructor; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = []
  class Socket implements FakeSocket {
    readyState = 0
    protocol = ''
    bufferedAmount = 0
    binaryType = 'blob'
    onopen: ((event: unknown) => void) | null = null
    onmessage: ((event: { data: unknown }) => void) | null = null
    onclose: ((event: { code: number; reason: string }) => void) | null = null
    onerror: ((event: unknown) => void) | null = null
    readonly sent: (string | ArrayBufferLike | ArrayBufferView)[] = []
    closedWith: number | undefined
    readonly protocols: string[]
    constructor(
      readonly url: string,
      protocols?: string | string[],
    ) {
      this.protocols =
        protocols === undefined ? [] : Array.isArray(protocols) ? protocols : [protocols]
      sockets.push(this)
    }
    send(data: string | ArrayBufferLike | ArrayBufferView): void {
      if (this.readyState !== 1) throw new Error('InvalidStateError: not open')
      this.sent.push(data)
    }
    close(code?: number): void {
      if (this.readyState >= 2) return
      this.readyState = 3
      this.closedWith = code ?? 1005
    }
    open(protocol = 'tickwire.v1.json'): void {
      this.readyState = 1
      this.protocol = protocol
      this.onopen?.({})
    }
    deliver(data: string | ArrayBuffer): void {
      this.onmessage?.({ data })
    }
    serverClose(code = 1006): void {
      if (this.readyState === 3) return
      this.readyState = 3
      this.onclose?.({ code, reason: '' })
    }
  }
  return { WebSocket: Socket as unknown as WebSocketConstructor, sockets }
}

/** The JSON frames a fake socket received from the client, parsed. */
export function sentMessages(socket: FakeSocket): unknown[] {
  return socket.sent.map((frame) =>
    typeof frame === 'string' ? (JSON.parse(frame) as unknown) : frame,
  )
}
