import { pack } from 'msgpackr'
import { afterEach, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer, type FeedServerOptions } from '../../src/server'
import { connect, flatten, type Msg, type TestClient } from './client'

let server: FeedServer | undefined
const clients: TestClient[] = []

async function start(options: FeedServerOptions = {}): Promise<FeedServer> {
  server = await createFeedServer({ port: 0, host: '127.0.0.1', tickHz: 0, ...options })
  return server
}

async function open(protocols?: string[]): Promise<TestClient> {
  const client = await connect((server as FeedServer).url, protocols)
  clients.push(client)
  return client
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await server?.close()
  server = undefined
})

describe('feed server over WebSocket', () => {
  it('negotiates JSON text frames and sends welcome first', async () => {
    await start()
    const client = await open(['tickwire.v1.json'])
    expect(client.ws.protocol).toBe('tickwire.v1.json')
    const welcome = await client.waitFor((m) => m.type === 'welcome')
    expect(client.messages[0]).toBe(welcome)
    expect(welcome).toMatchObject({ heartbeatMs: 30000 })
    expect(typeof welcome.serverTime).toBe('number')
    expect(client.binaryFrames).toBe(0)
  })

  it('negotiates MessagePack binary frames when the client offers it first', async () => {
    await start()
    const client = await open(['tickwire.v1.msgpack', 'tickwire.v1.json'])
    expect(client.ws.protocol).toBe('tickwire.v1.msgpack')
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    const snapshot = await client.waitFor((m) => m.type === 'snapshot')
    expect(snapshot).toMatchObject({ symbol: 'BTC-USD', seq: 0 })
    server?.publish('BTC-USD', { price: 50_000 })
    const delta = await client.waitFor((m) => m.type === 'delta')
    expect(delta).toMatchObject({ symbol: 'BTC-USD', seq: 1, data: { price: 50_000 } })
    expect(client.binaryFrames).toBe(client.messages.length)
  })

  it('reads binary MessagePack client frames, whatever was negotiated', async () => {
    await start()
    const client = await open(['tickwire.v1.msgpack'])
    client.ws.send(pack({ type: 'subscribe', id: 1, symbols: ['ETH-USD'] }))
    expect(await client.waitFor((m) => m.type === 'snapshot')).toMatchObject({
      symbol: 'ETH-USD',
      seq: 0,
    })
    const jsonClient = await open(['tickwire.v1.json'])
    jsonClient.ws.send(pack({ type: 'ping', ts: 3 }))
    expect(await jsonClient.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong', ts: 3 })
  })

  it('picks the first offered subprotocol it supports and JSON when none is offered', async () => {
    await start()
    const picky = await open(['other.v9', 'tickwire.v1.json', 'tickwire.v1.msgpack'])
    expect(picky.ws.protocol).toBe('tickwire.v1.json')
    const none = await open([])
    expect(none.ws.protocol).toBe('')
    none.send({ type: 'ping', ts: 5 })
    expect(await none.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong', ts: 5 })
    expect(none.binaryFrames).toBe(0)
  })

  it('sends a snapshot per symbol on subscribe, then contiguous deltas of changed fields', async () => {
    const s = await start({ seed: 7, updateShare: 1 })
    const client = await open()
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD', 'AAPL'] })
    await client.waitFor((m) => m.type === 'batch')
    for (let i = 0; i < 5; i++) s.tick()
    await client.waitFor(
      () => flatten(client.messages).filter((m) => m.type === 'delta').length === 10,
    )
    const all = flatten(client.messages).filter((m) => m.type !== 'welcome')
    for (const symbol of ['BTC-USD', 'AAPL']) {
      const mine = all.filter((m) => m.symbol === symbol)
      expect(mine[0]?.type).toBe('snapshot')
      expect(Object.keys(mine[0]?.data ?? {}).sort()).toEqual(
        ['ask', 'bid', 'change24h', 'high24h', 'low24h', 'price', 'volume'].sort(),
      )
      const seqs = mine.map((m) => m.seq)
      const first = seqs[0] as number
      expect(seqs).toEqual(seqs.map((_, i) => first + i))
      for (const delta of mine.slice(1)) {
        expect(delta.type).toBe('delta')
        expect(typeof delta.ts).toBe('number')
        expect(Object.keys(delta.data ?? {}).length).toBeGreaterThan(0)
      }
    }
    // What the client rebuilt by merging equals the server's state.
    const rebuilt = all
      .filter((m) => m.symbol === 'AAPL')
      .reduce<Record<string, unknown>>((state, m) => ({ ...state, ...m.data }), {})
    expect(rebuilt).toEqual(s.market.snapshot('AAPL')?.data)
  })

  it('sends the deltas of one market step as one batch frame, and a lone delta unwrapped', async () => {
    const s = await start({ updateShare: 1 })
    const client = await open()
    client.send({ type: 'subscribe', id: 1, symbols: ['ETH-USD', 'SOL-USD', 'MSFT'] })
    await client.waitFor((m) => m.type === 'batch')
    const before = client.messages.length
    s.tick()
    const batch = await client.waitFor(
      (m, i = client.messages.indexOf(m)) => i >= before && m.type === 'batch',
    )
    expect(batch.messages?.map((m) => [m.type, m.symbol])).toEqual([
      ['delta', 'ETH-USD'],
      ['delta', 'SOL-USD'],
      ['delta', 'MSFT'],
    ])
    client.send({ type: 'unsubscribe', id: 2, symbols: ['ETH-USD', 'SOL-USD'] })
    client.send({ type: 'ping', ts: 1 })
    await client.waitFor((m) => m.type === 'pong')
    s.tick()
    const lone = await client.waitFor((m) => m.type === 'delta')
    expect(lone.symbol).toBe('MSFT')
  })

  it('hands frames of other types to onAppMessage, which can reply', async () => {
    const seen: unknown[] = []
    await start({
      onAppMessage: (message, reply) => {
        seen.push(message)
        reply({ type: 'order_ack', orderId: message.orderId })
      },
    })
    const client = await open()
    client.send({ type: 'order', orderId: 'A1', qty: 2 })
    expect(await client.waitFor((m) => m.type === 'order_ack')).toEqual({
      type: 'order_ack',
      orderId: 'A1',
    })
    expect(seen).toEqual([{ type: 'order', orderId: 'A1', qty: 2 }])
  })

  it('answers ping with pong carrying the same ts', async () => {
    await start()
    const client = await open()
    client.send({ type: 'ping', ts: 1732230000123 })
    expect(await client.waitFor((m) => m.type === 'pong')).toEqual({
      type: 'pong',
      ts: 1732230000123,
    })
  })

  it('answers unknown symbols with unknown_symbol listing them, and serves the known ones', async () => {
    await start()
    const client = await open()
    client.send({ type: 'subscribe', id: 3, symbols: ['NOPE', 'BTC-USD', 'XYZ-USD'] })
    const error = await client.waitFor((m) => m.type === 'error')
    expect(error).toMatchObject({ code: 'unknown_symbol', symbols: ['NOPE', 'XYZ-USD'], id: 3 })
    expect(await client.waitFor((m) => m.type === 'snapshot')).toMatchObject({ symbol: 'BTC-USD' })
    expect(server?.stats().subscriptions).toEqual({ 'BTC-USD': 1 })
  })

  it('answers malformed frames with bad_request and keeps the connection', async () => {
    await start()
    const client = await open()
    const bad: unknown[] = [
      'not json{',
      '[1,2]',
      '"text"',
      { no: 'type' },
      { type: 'subscribe', id: 1, symbols: [] },
      { type: 'subscribe', id: 2, symbols: [42] },
      { type: 'subscribe', id: 'x', symbols: ['BTC-USD'] },
      { type: 'ping' },
      { type: 'teleport' },
    ]
    for (const frame of bad) client.send(frame)
    client.ws.send(Buffer.from([0xc1, 0xc1]), { binary: true })
    client.send({ type: 'ping', ts: 9 })
    await client.waitFor((m) => m.type === 'pong')
    const errors = client.messages.filter((m) => m.type === 'error')
    expect(errors).toHaveLength(bad.length + 1)
    for (const error of errors) expect(error.code).toBe('bad_request')
    expect(errors[5]).toMatchObject({ id: 2 })
    expect(client.ws.readyState).toBe(client.ws.OPEN)
  })

  it('refuses a subscribe of more than 100 symbols with bad_request and stays open', async () => {
    await start()
    const client = await open()
    const symbols = Array.from({ length: 101 }, (_, i) => `S${i}`)
    client.send({ type: 'subscribe', id: 4, symbols })
    const error = await client.waitFor((m) => m.type === 'error')
    expect(error).toMatchObject({ code: 'bad_request', id: 4 })
    expect(String(error.message)).toContain('100')
    expect(server?.stats().subscriptions).toEqual({})
    client.send({ type: 'subscribe', id: 5, symbols: ['AAPL'] })
    expect(await client.waitFor((m) => m.type === 'snapshot')).toMatchObject({ symbol: 'AAPL' })
  })

  it('sends a fresh snapshot after resync', async () => {
    const s = await start({ updateShare: 1 })
    const client = await open()
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await client.waitFor((m) => m.type === 'snapshot')
    s.tick()
    s.tick()
    client.send({ type: 'resync', symbols: ['BTC-USD'] })
    const again = await client.waitFor((m) => m.type === 'snapshot' && m.seq === 2)
    expect(again.data).toEqual(s.market.snapshot('BTC-USD')?.data)
  })

  it('restarts seqs on resetSeq, with a snapshot at seq 0 when asked', async () => {
    const s = await start({ updateShare: 1 })
    const client = await open()
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await client.waitFor((m) => m.type === 'snapshot')
    s.tick()
    s.tick()
    await client.waitFor((m) => m.type === 'delta' && m.seq === 2)
    s.resetSeq(['BTC-USD'], { snapshot: true })
    await client.waitFor((m) => m.type === 'snapshot' && m.seq === 0)
    s.tick()
    expect(
      await client.waitFor(
        (m) => m.type === 'delta' && m.seq === 1 && client.messages.indexOf(m) > 4,
      ),
    ).toBeTruthy()
  })

  it('limits the frame rate per connection with rate_limited and retryAfter', async () => {
    await start({ rateLimit: { maxFrames: 20, windowMs: 1000 } })
    const client = await open()
    for (let i = 0; i < 50; i++) client.send({ type: 'ping', ts: i })
    const error = await client.waitFor((m) => m.type === 'error')
    expect(error.code).toBe('rate_limited')
    expect(error.retryAfter).toBeGreaterThan(0)
    expect(error.retryAfter).toBeLessThanOrEqual(1)
    await new Promise((r) => setTimeout(r, 100))
    expect(client.messages.filter((m) => m.type === 'pong')).toHaveLength(20)
    expect(client.messages.filter((m) => m.type === 'error')).toHaveLength(1)
    expect(client.ws.readyState).toBe(client.ws.OPEN)
  })

  it('closes connections beyond maxConnections with 4429', async () => {
    await start({ maxConnections: 2 })
    await open()
    await open()
    const third = await open()
    expect(await third.closed).toBe(4429)
    expect(server?.stats().connections).toBe(2)
  })

  it('with verifyToken, accepts a good token and closes 4401 on a bad one or a frame before auth', async () => {
    await start({ verifyToken: async (token) => token === 'good' })
    const good = await open()
    good.send({ type: 'auth', token: 'good' })
    // Sent before verification ends: held, then served.
    good.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    expect(await good.waitFor((m) => m.type === 'snapshot')).toMatchObject({ symbol: 'BTC-USD' })

    const bad = await open()
    bad.send({ type: 'auth', token: 'bad' })
    expect(await bad.closed).toBe(4401)

    const rude = await open()
    rude.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    expect(await rude.closed).toBe(4401)
    expect(rude.messages.some((m) => m.type === 'snapshot')).toBe(false)
  })

  it('closes 4401 when no auth arrives within authTimeoutMs', async () => {
    await start({ verifyToken: () => true, authTimeoutMs: 100 })
    const silent = await open()
    expect(await silent.closed).toBe(4401)
  })

  it('moves on its own at tickHz', async () => {
    await start({ tickHz: 50, updateShare: 1 })
    const client = await open()
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await client.waitFor((m: Msg) => m.type === 'delta' && (m.seq ?? 0) >= 5, 2000)
  })

  it('terminates a client that answers no liveness ping, and keeps one that does', async () => {
    const s = await start({ pingIntervalMs: 40 })
    const alive = await open()
    const dead = await open()
    await dead.waitFor((m) => m.type === 'welcome')
    // A paused socket reads nothing, so the automatic pong never goes out: as a vanished peer.
    dead.ws.pause()
    const deadline = Date.now() + 2000
    while (s.stats().connections > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    expect(s.stats().connections).toBe(1)
    expect(alive.ws.readyState).toBe(alive.ws.OPEN)
  })

  it('stops the deltas of unsubscribed symbols', async () => {
    const s = await start({ updateShare: 1 })
    const client = await open()
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await client.waitFor((m) => m.type === 'snapshot')
    client.send({ type: 'unsubscribe', id: 2, symbols: ['BTC-USD'] })
    client.send({ type: 'ping', ts: 1 })
    await client.waitFor((m) => m.type === 'pong')
    s.tick()
    client.send({ type: 'ping', ts: 2 })
    await client.waitFor((m) => m.type === 'pong' && m.ts === 2)
    expect(client.messages.some((m) => m.type === 'delta')).toBe(false)
    expect(s.stats().subscriptions).toEqual({})
  })

  it('offers test hooks: publish a value, broadcast any frame, drop every connection', async () => {
    const s = await start()
    const client = await open()
    client.send({ type: 'subscribe', id: 1, symbols: ['AAPL'] })
    await client.waitFor((m) => m.type === 'snapshot')
    s.publish('AAPL', { price: 123.45 })
    expect(await client.waitFor((m) => m.type === 'delta')).toMatchObject({
      seq: 1,
      data: { price: 123.45 },
    })
    s.broadcast({ type: 'order', id: 7 })
    s.broadcast('{"type":"delta","symbol":"AAPL","seq":"x"}')
    await client.waitFor((m) => m.type === 'order')
    await client.waitFor((m) => m.type === 'delta' && m.seq === ('x' as never))
    s.dropConnections()
    expect(await client.closed).toBe(1012)
    const again = await open()
    expect(await again.waitFor((m) => m.type === 'welcome')).toBeTruthy()
  })

  it('close() closes every socket with 1001, is idempotent, and refuses nothing afterwards', async () => {
    const s = await start({ tickHz: 20 })
    const a = await open()
    const b = await open(['tickwire.v1.msgpack'])
    const first = s.close()
    expect(s.close()).toBe(first)
    await first
    expect(await a.closed).toBe(1001)
    expect(await b.closed).toBe(1001)
    await expect(connect(s.url)).rejects.toThrow()
  })
})
