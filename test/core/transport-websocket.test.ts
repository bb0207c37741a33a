import { WebSocket } from 'ws'
import { afterEach, describe, expect, test, vi } from 'vitest'
import type { Frame } from '../../src/core/codecs/types'
import { createWebSocketTransport } from '../../src/core/transports/websocket'
import type { Transport, TransportHandlers } from '../../src/core/transports/types'
import { createTestServer, type TestServer } from '../helpers/testServer'

const NodeWebSocket = WebSocket

let server: TestServer | undefined
let transport: Transport | undefined
afterEach(async () => {
  transport?.close()
  transport = undefined
  vi.unstubAllGlobals()
  await server?.close()
  server = undefined
})

function handlers() {
  const events: string[] = []
  const frames: Frame[] = []
  const h: TransportHandlers = {
    onOpen: (protocol) => events.push(`open:${protocol}`),
    onFrame: (frame) => frames.push(frame),
    onClose: (code) => events.push(`close:${code}`),
    onError: () => events.push('error'),
  }
  return { h, events, frames }
}

describe('createWebSocketTransport', () => {
  test('throws synchronously when there is no constructor', () => {
    vi.stubGlobal('WebSocket', undefined)
    const factory = createWebSocketTransport()
    expect(() =>
      factory({ url: 'ws://127.0.0.1:1', protocols: [], symbols: [] }, handlers().h),
    ).toThrow(/No WebSocket/)
  })

  test('throws synchronously when the constructor throws (a malformed URL)', () => {
    const factory = createWebSocketTransport(NodeWebSocket)
    expect(() => factory({ url: 'not a url', protocols: [], symbols: [] }, handlers().h)).toThrow()
  })

  test('opens with the negotiated subprotocol; text frames as strings, binary frames as Uint8Array', async () => {
    server = await createTestServer()
    const { h, events, frames } = handlers()
    transport = createWebSocketTransport(NodeWebSocket)(
      { url: server.url, protocols: ['tickwire.v1.json'], symbols: [] },
      h,
    )
    await server.waitFor(() => events.includes('open:tickwire.v1.json'))
    server.sendRaw('{"type":"x"}')
    server.sendRaw(Buffer.from([1, 2, 3]))
    await server.waitFor(() => frames.length === 2)
    expect(frames[0]).toBe('{"type":"x"}')
    expect(frames[1]).toBeInstanceOf(Uint8Array)
    expect([...(frames[1] as Uint8Array)]).toEqual([1, 2, 3])
    transport.send('{"type":"hello"}')
    transport.send(new Uint8Array([0x81, 0xa1, 0x61, 0x01]))
    await server.waitFor(() => server?.last?.received.length === 2)
    expect(server.last?.received).toEqual([{ type: 'hello' }, { a: 1 }])
  })

  test('close() detaches at once: no handler runs afterwards, and the code reaches the server', async () => {
    server = await createTestServer()
    const { h, events, frames } = handlers()
    transport = createWebSocketTransport(NodeWebSocket)(
      { url: server.url, protocols: [], symbols: [] },
      h,
    )
    await server.waitFor(() => events.length === 1)
    transport.close(4000, 'stale')
    server.sendRaw('late')
    await server.waitFor(() => server?.last?.closeCode === 4000)
    expect(events).toEqual(['open:'])
    expect(frames).toEqual([])
  })

  test('close() while still connecting reports nothing and throws nothing', async () => {
    server = await createTestServer()
    const { h, events } = handlers()
    transport = createWebSocketTransport(NodeWebSocket)(
      { url: server.url, protocols: [], symbols: [] },
      h,
    )
    transport.close(1000)
    // The absence of a callback can only be seen over time: let a second socket open fully
    // on the same server, which takes several I/O turns, then check nothing was reported.
    const probe = handlers()
    const other = createWebSocketTransport(NodeWebSocket)(
      { url: server.url, protocols: [], symbols: [] },
      probe.h,
    )
    await server.waitFor(() => probe.events.length === 1)
    other.close()
    expect(events).toEqual([])
  })

  test('a server drop is reported once as onClose with its code', async () => {
    server = await createTestServer()
    const { h, events } = handlers()
    transport = createWebSocketTransport(NodeWebSocket)(
      { url: server.url, protocols: [], symbols: [] },
      h,
    )
    await server.waitFor(() => events.length === 1)
    server.closeAll(4401)
    await server.waitFor(() => events.length === 2)
    expect(events).toEqual(['open:', 'close:4401'])
  })
})
