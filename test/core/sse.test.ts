import { EventSource } from 'eventsource'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventSourceConstructor } from '../../src/core/config'
import { createSseTransport, sseUrl } from '../../src/core/transports/sse'
import type { Frame } from '../../src/core/codecs/types'
import type { TransportHandlers } from '../../src/core/transports/types'
import { startSseServer } from '../helpers/sseServer'
import type { SseTestServer } from '../helpers/sseServer'

// The `eventsource` package's class matches the browser's; our structural type is narrower.
const NodeEventSource = EventSource as unknown as EventSourceConstructor

interface Recorder extends TransportHandlers {
  events: string[]
  frames: Frame[]
}

function recorder(): Recorder {
  const events: string[] = []
  const frames: Frame[] = []
  return {
    events,
    frames,
    onOpen: (protocol) => events.push(`open:${protocol}`),
    onFrame: (frame) => frames.push(frame),
    onClose: (code) => events.push(`close:${code}`),
    onError: () => events.push('error'),
  }
}

describe('sseUrl', () => {
  it('appends ?symbols= to a bare URL and &symbols= to one with a query', () => {
    expect(sseUrl('http://h/stream', ['A', 'B'])).toBe('http://h/stream?symbols=A,B')
    expect(sseUrl('http://h/stream?x=1', ['A'])).toBe('http://h/stream?x=1&symbols=A')
    expect(sseUrl('http://h/stream?', ['A'])).toBe('http://h/stream?symbols=A')
    expect(sseUrl('http://h/s#f', ['A'])).toBe('http://h/s?symbols=A#f')
  })

  it('percent-encodes each symbol but keeps the commas', () => {
    expect(sseUrl('http://h/s', ['A B', 'C&D'])).toBe('http://h/s?symbols=A%20B,C%26D')
  })
})

describe('createSseTransport', () => {
  let server: SseTestServer

  beforeEach(async () => {
    server = await startSseServer()
  })
  afterEach(async () => {
    await server.close()
  })

  it('throws synchronously when no EventSource constructor exists', () => {
    // Node 20 has no global EventSource; make sure of it for this test.
    vi.stubGlobal('EventSource', undefined)
    try {
      const factory = createSseTransport()
      expect(() => factory({ url: server.url, protocols: [], symbols: ['A'] }, recorder())).toThrow(
        /EventSource/,
      )
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('opens <url>?symbols=…, reports open with no protocol and hands each data string over', async () => {
    const handlers = recorder()
    const transport = createSseTransport(NodeEventSource)(
      { url: server.url, protocols: ['tickwire.v1.json'], symbols: ['BTC-USD', 'ETH-USD'] },
      handlers,
    )
    const client = await server.waitForClient()
    expect(client.symbols).toEqual(['BTC-USD', 'ETH-USD'])
    await vi.waitFor(() => expect(handlers.frames).toHaveLength(2))
    expect(handlers.events).toEqual(['open:'])
    expect(JSON.parse(handlers.frames[0] as string)).toMatchObject({ type: 'snapshot', symbol: 'BTC-USD' })
    client.send({ type: 'delta', symbol: 'BTC-USD', seq: 2, data: { price: 101 } })
    await vi.waitFor(() => expect(handlers.frames).toHaveLength(3))
    transport.close()
  })

  it('reports onClose(1006) once when the server ends the stream, and does not retry on its own', async () => {
    const handlers = recorder()
    createSseTransport(NodeEventSource)({ url: server.url, protocols: [], symbols: ['A'] }, handlers)
    const client = await server.waitForClient()
    await vi.waitFor(() => expect(handlers.events).toEqual(['open:']))
    client.end()
    await vi.waitFor(() => expect(handlers.events).toEqual(['open:', 'error', 'close:1006']))
    // EventSource would reconnect after ~its retry delay; ours was closed instead.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.clients).toHaveLength(1)
    expect(handlers.events).toEqual(['open:', 'error', 'close:1006'])
  })

  it('reports onClose(1006) without onOpen when the server refuses the stream', async () => {
    server.refuseWith(503)
    const handlers = recorder()
    createSseTransport(NodeEventSource)({ url: server.url, protocols: [], symbols: ['A'] }, handlers)
    await vi.waitFor(() => expect(handlers.events).toEqual(['error', 'close:1006']))
  })

  it('close() detaches at once: no handler runs afterwards', async () => {
    const handlers = recorder()
    const transport = createSseTransport(NodeEventSource)(
      { url: server.url, protocols: [], symbols: ['A'] },
      handlers,
    )
    const client = await server.waitForClient()
    transport.close()
    client.send({ type: 'delta', symbol: 'A', seq: 2, data: { price: 1 } })
    client.end()
    await vi.waitFor(() => expect(server.open()).toHaveLength(0))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(handlers.events.filter((event) => event !== 'open:')).toEqual([])
    expect(handlers.frames.length).toBeLessThanOrEqual(1)
  })
})
