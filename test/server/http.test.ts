import { request } from 'node:http'
import { EventSource } from 'eventsource'
import { afterEach, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer, type FeedServerOptions } from '../../src/server'
import { connect, type Msg } from './client'

let server: FeedServer | undefined

async function start(options: FeedServerOptions = {}): Promise<FeedServer> {
  server = await createFeedServer({ port: 0, host: '127.0.0.1', tickHz: 0, ...options })
  return server
}

afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('feed server over HTTP', () => {
  it('answers GET /prices with prices by symbol and the unknown ones listed (PROTOCOL.md 5)', async () => {
    const s = await start({ updateShare: 1 })
    s.tick()
    const res = await fetch(`${s.restUrl}/prices?symbols=BTC-USD,AAPL,NOPE`)
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('content-type')).toContain('application/json')
    const body = (await res.json()) as {
      prices: Record<string, { seq: number; ts: number; data: Record<string, number> }>
      unknown: string[]
    }
    expect(Object.keys(body.prices)).toEqual(['BTC-USD', 'AAPL'])
    expect(body.unknown).toEqual(['NOPE'])
    expect(body.prices['BTC-USD']).toEqual({
      seq: 1,
      ts: expect.any(Number),
      data: s.market.snapshot('BTC-USD')?.data,
    })
    expect(body.prices['AAPL']?.data.price).toBeGreaterThan(0)
  })

  it('refuses /prices without symbols or with more than 100 with 400 bad_request', async () => {
    const s = await start()
    const many = Array.from({ length: 101 }, (_, i) => `S${i}`).join(',')
    for (const query of ['', '?symbols=', `?symbols=${many}`]) {
      const res = await fetch(`${s.restUrl}/prices${query}`)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ type: 'error', code: 'bad_request' })
    }
  })

  it('answers CORS preflight, /health and 404 with CORS headers', async () => {
    const s = await start()
    const preflight = await fetch(`${s.restUrl}/prices?symbols=A`, { method: 'OPTIONS' })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET')
    const health = await fetch(`${s.restUrl}/health`)
    expect(health.headers.get('access-control-allow-origin')).toBe('*')
    expect(await health.json()).toMatchObject({
      status: 'ok',
      connections: 0,
      symbols: s.market.symbols.length,
    })
    expect((await fetch(`${s.restUrl}/nowhere`)).status).toBe(404)
  })

  it('reports connections, subscriptions, frames and bytes per second in /metrics', async () => {
    let clock = 1_000_000
    const s = await start({ updateShare: 1, now: () => clock })
    const a = await connect(s.url)
    const b = await connect(s.url)
    a.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD', 'ETH-USD'] })
    b.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await a.waitFor((m) => m.type === 'batch')
    await b.waitFor((m) => m.type === 'snapshot')
    clock += 1000
    s.tick()
    s.tick()
    await b.waitFor((m) => m.type === 'delta' && m.seq === 2)
    await a.waitFor((m) => m.type === 'batch' && m.messages?.[0]?.seq === 2)
    clock += 1000
    const metrics = (await (await fetch(`${s.restUrl}/metrics`)).json()) as Record<string, unknown>
    expect(metrics).toMatchObject({
      connections: 2,
      sseClients: 0,
      subscriptions: { 'BTC-USD': 2, 'ETH-USD': 1 },
      framesPerSecond: 4,
      slowClients: 0,
      ticks: 2,
    })
    expect(metrics.bytesPerSecond).toBeGreaterThan(100)
    expect(metrics.framesSent).toBe(8) // 2 welcome, 2 snapshot frames, 4 delta frames
    await Promise.all([a.close(), b.close()])
  })

  it('streams a snapshot per symbol then deltas over SSE, one message per event (PROTOCOL.md 6)', async () => {
    const s = await start({ updateShare: 1 })
    const received: Msg[] = []
    const es = new EventSource(`${s.sseUrl}?symbols=BTC-USD,ETH-USD,NOPE`)
    const until = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (received.length >= count ? resolve() : setTimeout(check, 5))
        check()
      })
    es.onmessage = (event) => received.push(JSON.parse(event.data) as Msg)
    try {
      await until(3)
      expect(received.map((m) => [m.type, m.symbol ?? m.code])).toEqual([
        ['error', 'unknown_symbol'],
        ['snapshot', 'BTC-USD'],
        ['snapshot', 'ETH-USD'],
      ])
      expect(received[0]?.symbols).toEqual(['NOPE'])
      expect(s.stats().sseClients).toBe(1)
      s.tick()
      await until(5)
      expect(received.slice(3).map((m) => [m.type, m.symbol, m.seq])).toEqual([
        ['delta', 'BTC-USD', 1],
        ['delta', 'ETH-USD', 1],
      ])
    } finally {
      es.close()
    }
  })

  it('serves SSE as text/event-stream with CORS, takes more than 100 symbols, refuses more than 1,000', async () => {
    const s = await start()
    const head = await new Promise<{
      status: number
      headers: Record<string, unknown>
      first: string
    }>((resolve, reject) => {
      const req = request(`${s.sseUrl}?symbols=AAPL`, (res) => {
        res.setEncoding('utf8')
        res.once('data', (chunk: string) => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, first: chunk })
          req.destroy()
        })
      })
      req.on('error', reject)
      req.end()
    })
    expect(head.status).toBe(200)
    expect(head.headers['content-type']).toContain('text/event-stream')
    expect(head.headers['access-control-allow-origin']).toBe('*')
    expect(head.first).toContain('retry:')
    // Unlike REST (section 5), an SSE stream carries the whole wanted set in one URL.
    const names = (n: number) => Array.from({ length: n }, (_, i) => `S${i}`).join(',')
    const aborter = new AbortController()
    const wide = await fetch(`${s.sseUrl}?symbols=${names(250)}`, { signal: aborter.signal })
    expect(wide.status).toBe(200)
    aborter.abort()
    expect((await fetch(`${s.sseUrl}?symbols=${names(1_001)}`)).status).toBe(400)
  })
})
