import { EventSource } from 'eventsource'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { createFeedServer } from '../../src/server/feedServer'
import { createSseTransport, sseUrl } from '../../src/core/transports/sse'
import type { Frame } from '../../src/core/codecs/types'
import type { TransportHandlers } from '../../src/core/transports/types'
import { startRestServer } from '../helpers/restServer'
import { startSseServer } from '../helpers/sseServer'
import type { SseTestServer } from '../helpers/sseServer'

// The `eventsource` package's class matches the browser's; our structural type is narrower.
const NodeEventSource = EventSource

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
    expect(JSON.parse(handlers.frames[0] as string)).toMatchObject({
      type: 'snapshot',
      symbol: 'BTC-USD',
    })
    client.send({ type: 'delta', symbol: 'BTC-USD', seq: 2, data: { price: 101 } })
    await vi.waitFor(() => expect(handlers.frames).toHaveLength(3))
    transport.close()
  })

  it('reports onClose(1006) once when the server ends the stream, and does not retry on its own', async () => {
    const handlers = recorder()
    createSseTransport(NodeEventSource)(
      { url: server.url, protocols: [], symbols: ['A'] },
      handlers,
    )
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
    createSseTransport(NodeEventSource)(
      { url: server.url, protocols: [], symbols: ['A'] },
      handlers,
    )
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

describe("transport: 'sse' through the manager", () => {
  let manager: StreamManager | undefined
  afterEach(() => {
    manager?.destroy()
    manager = undefined
  })

  const until = async (predicate: () => boolean, timeoutMs = 5_000): Promise<void> => {
    await vi.waitFor(() => expect(predicate()).toBe(true), { timeout: timeoutMs, interval: 10 })
  }

  it('streams prices from the feed server and reopens the stream with the new list when the set changes', async () => {
    const feed = await createFeedServer({ tickHz: 0 })
    try {
      manager = createStreamManager({
        url: feed.sseUrl,
        transport: 'sse',
        EventSource: NodeEventSource,
        throttleMs: 0,
        lazy: true,
      })
      const m = manager
      const releaseBtc = m.subscribe(['BTC-USD'])
      await until(() => m.store.getState().prices['BTC-USD'] !== undefined)
      expect(m.store.getState().connections['default']?.status).toBe('open')
      expect(feed.stats().sseClients).toBe(1)
      const first = m.store.getState().prices['BTC-USD']
      feed.publish('BTC-USD', { price: 123_456 })
      await until(() => m.store.getState().prices['BTC-USD']?.price === 123_456)
      expect(m.store.getState().prices['BTC-USD']?.seq).toBe((first?.seq ?? 0) + 1)

      m.subscribe(['ETH-USD'])
      await until(() => m.store.getState().prices['ETH-USD'] !== undefined)
      // One stream at a time: the old one was closed when the new list opened.
      await until(() => feed.stats().sseClients === 1)
      releaseBtc()
      feed.publish('ETH-USD', { price: 4_321 })
      await until(() => m.store.getState().prices['ETH-USD']?.price === 4_321)
      expect(m.getStats().invalid).toBe(0)
    } finally {
      manager?.destroy()
      manager = undefined
      await feed.close()
    }
  })

  it('debounces changes: two changes within 250 ms reopen once, with the whole new list', async () => {
    const server = await startSseServer()
    try {
      manager = createStreamManager({
        url: server.url,
        transport: 'sse',
        EventSource: NodeEventSource,
        throttleMs: 0,
        lazy: true,
        unsubscribeDelayMs: 0,
      })
      const m = manager
      m.subscribe(['A'])
      await until(() => m.store.getState().prices['A'] !== undefined)
      expect(server.clients.map((c) => c.symbols)).toEqual([['A']])
      const releaseB = m.subscribe(['B'])
      m.subscribe(['C'])
      releaseB()
      await until(() => m.store.getState().prices['C'] !== undefined)
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(server.clients.map((c) => [...c.symbols].sort())).toEqual([['A'], ['A', 'C']])
      expect(server.open()).toHaveLength(1)
      // The reopened stream started with a snapshot per symbol, applied whatever its seq.
      expect(m.store.getState().prices['A']?.seq).toBe(2)
    } finally {
      manager?.destroy()
      manager = undefined
      await server.close()
    }
  })

  it('falls back to REST polling after failed stream attempts, and stops polling once a stream opens', async () => {
    const server = await startSseServer({ snapshotPrice: () => 200 })
    const rest = await startRestServer()
    try {
      server.refuseWith(503)
      manager = createStreamManager({
        url: server.url,
        transport: 'sse',
        EventSource: NodeEventSource,
        restUrl: rest.url,
        fallbackIntervalMs: 200,
        throttleMs: 0,
        lazy: true,
        reconnect: { initialDelayMs: 20, maxDelayMs: 40, jitter: 0 },
      })
      const m = manager
      m.subscribe(['A'])
      await until(() => m.store.getState().connections['default']?.status === 'fallback')
      await until(() => m.store.getState().prices['A']?.source === 'poll')
      expect(m.store.getState().connections['default']?.fallback.reason).toBe('failures')
      server.refuseWith(null)
      await until(() => m.store.getState().connections['default']?.status === 'open')
      const openedAt = Date.now()
      // The stream's snapshot (seq 1 again, but a snapshot replaces whatever its seq).
      await until(() => m.store.getState().prices['A']?.source === 'stream')
      expect(m.store.getState().prices['A']?.price).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 450))
      expect(rest.requests.filter((r) => r.at > openedAt)).toEqual([])
    } finally {
      manager?.destroy()
      manager = undefined
      await server.close()
      await rest.close()
    }
  })

  it('a stream the server ends is reopened with backoff under the same state machine', async () => {
    const server = await startSseServer()
    try {
      manager = createStreamManager({
        url: server.url,
        transport: 'sse',
        EventSource: NodeEventSource,
        throttleMs: 0,
        lazy: true,
        reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
      })
      const m = manager
      const statuses: string[] = []
      m.on('status', (event) => statuses.push(event.newState))
      m.subscribe(['A'])
      const client = await server.waitForClient(1)
      await until(() => m.store.getState().prices['A'] !== undefined)
      client.end()
      await server.waitForClient(2)
      await until(
        () => m.store.getState().connections['default']?.status === 'open' && statuses.length >= 3,
      )
      expect(statuses).toContain('reconnecting')
      expect(m.store.getState().connections['default']?.stats.reconnects).toBeGreaterThanOrEqual(1)
    } finally {
      manager?.destroy()
      manager = undefined
      await server.close()
    }
  })
})
