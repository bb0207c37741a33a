/**
 * A `ws` client that also sees the raw bytes of its TCP socket: how many bytes crossed the
 * wire, and the header of every frame the server sent (the RSV1 bit marks a frame compressed
 * with permessage-deflate, RFC 7692 section 6). For the compression tests.
 */
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net'
import { WebSocket, type ClientOptions } from 'ws'
import { decodeMsgpack } from '../../src/server'
import type { Msg } from './client'

/** One server frame as it crossed the wire. */
export interface WireFrame {
  opcode: number
  /** Set on frames the server compressed. */
  compressed: boolean
  /** Payload bytes on the wire (compressed size when compressed). */
  wireBytes: number
}

export interface WireClient {
  ws: WebSocket
  /** Decoded messages, in order. */
  messages: Msg[]
  /** Frame headers seen on the socket, in order (data and control frames). */
  frames: WireFrame[]
  /** Bytes read from the TCP socket, HTTP upgrade response included. */
  bytesRead(): number
  /** Resolves once `predicate()` holds, checked after every message; rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** Reads frame headers out of the server-to-client byte stream (frames are never masked). */
function frameReader(onFrame: (frame: WireFrame) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0)
  let upgraded = false
  return (chunk) => {
    pending = Buffer.concat([pending, chunk])
    if (!upgraded) {
      const end = pending.indexOf('\r\n\r\n')
      if (end < 0) return
      // Whatever followed the headers in this chunk comes again: `ws` hands it back to the
      // socket (`unshift`), which emits it as data a second time.
      pending = Buffer.alloc(0)
      upgraded = true
      return
    }
    for (;;) {
      if (pending.length < 2) return
      const first = pending[0] as number
      let length = (pending[1] as number) & 0x7f
      let header = 2
      if (length === 126) {
        if (pending.length < 4) return
        length = pending.readUInt16BE(2)
        header = 4
      } else if (length === 127) {
        if (pending.length < 10) return
        length = Number(pending.readBigUInt64BE(2))
        header = 10
      }
      if (pending.length < header + length) return
      onFrame({ opcode: first & 0x0f, compressed: (first & 0x40) !== 0, wireBytes: length })
      pending = pending.subarray(header + length)
    }
  }
}

/** Opens a client on `url` with these subprotocols and `ws` options (e.g. `perMessageDeflate`). */
export function connectWire(
  url: string,
  protocols: string[],
  options: ClientOptions = {},
): Promise<WireClient> {
  let socket: Socket | undefined
  const frames: WireFrame[] = []
  const messages: Msg[] = []
  const checks = new Set<() => void>()
  const tap = (opts: NetConnectOpts): Socket => {
    socket = netConnect(opts)
    socket.on(
      'data',
      frameReader((frame) => frames.push(frame)),
    )
    return socket
  }
  const ws = new WebSocket(url, protocols, {
    ...options,
    // `ws` always calls it with one options object; the cast only drops net's other overloads.
    createConnection: tap as typeof netConnect,
  })
  ws.on('message', (data, isBinary) => {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])
    messages.push((isBinary ? decodeMsgpack(buffer) : JSON.parse(buffer.toString())) as Msg)
    for (const check of [...checks]) check()
  })
  const client: WireClient = {
    ws,
    messages,
    frames,
    bytesRead: () => socket?.bytesRead ?? 0,
    until(predicate, timeoutMs = 3000) {
      if (predicate()) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          checks.delete(check)
          reject(new Error(`condition not met in ${timeoutMs} ms (${messages.length} messages)`))
        }, timeoutMs)
        const check = () => {
          if (!predicate()) return
          clearTimeout(timer)
          checks.delete(check)
          resolve()
        }
        checks.add(check)
      })
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return
      const closed = new Promise((resolve) => ws.once('close', resolve))
      ws.close()
      await closed
    },
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client))
    ws.once('error', reject)
  })
}
