import { describe, expect, it } from 'vitest'
import { flatten, type Msg, type TestClient } from './client'
import { createEdgeChannels } from '../../src/server/redis/edgeChannels'
import { initialEdgeStats } from '../../src/server/redis/edgeLatest'
import { channelFor, redisKeys } from '../../src/server/redis/keys'
import { expectContiguous, nodeReady, redisWorld, waitUntil } from './redisSetup'

/** The snapshots and deltas of `symbol` a client has received, flattened, in order. */
function ticksOf(client: TestClient, symbol: string): Msg[] {
  return flatten(client.messages).filter(
    (m) => (m.type === 'snapshot' || m.type === 'delta') && m.symbol === symbol,
  )
}

describe('publisher and edge nodes over Redis', () => {
  it('gives independent clients on two nodes the same prices with the same seqs', async () => {
    const world = await redisWorld()
    const publisher = world.publisher()
    await publisher.whenActive()
    const [a, b] = [await world.node(), await world.node()]
    await Promise.all([nodeReady(a), nodeReady(b)])
    const onA = await world.client(a)
    const onB = await world.client(b, ['tickwire.v1.msgpack'])
    onA.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD', 'AAPL'] })
    onB.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD', 'AAPL'] })
    for (const client of [onA, onB])
      await waitUntil(
        () => ticksOf(client, 'BTC-USD').length > 0 && ticksOf(client, 'AAPL').length > 0,
      )
    for (let i = 0; i < 20; i++) await publisher.step()
    const last = async (client: TestClient, symbol: string) => {
      const seq = Number((await world.raw().hget('test:seq', symbol)) ?? 0)
      await waitUntil(() => ticksOf(client, symbol).at(-1)?.seq === seq)
      return seq
    }
    expect(await last(onA, 'BTC-USD')).toBeGreaterThan(0)
    await last(onB, 'BTC-USD')
    await last(onA, 'AAPL')
    await last(onB, 'AAPL')
    for (const symbol of ['BTC-USD', 'AAPL']) {
      // Each client: one snapshot, then deltas with contiguous seqs (no gap, no duplicate).
      const seqsA = ticksOf(onA, symbol).map((m) => m.seq)
      for (let i = 1; i < seqsA.length; i++) expect(seqsA[i]).toBe((seqsA[i - 1] as number) + 1)
      // Both see the same value at the same seq.
      const byseq = new Map(ticksOf(onB, symbol).map((m) => [m.seq, m.data?.['price']]))
      for (const m of ticksOf(onA, symbol).filter((t) => t.type === 'delta')) {
        if (byseq.has(m.seq) && m.data?.['price'] !== undefined)
          expect(byseq.get(m.seq)).toBe(m.data['price'])
      }
    }
    const restA = (await (await fetch(`${a.restUrl}/prices?symbols=BTC-USD,NOPE`)).json()) as {
      prices: Record<string, { seq: number; data: { price: number } }>
      unknown: string[]
    }
    const restB = (await (
      await fetch(`${b.restUrl}/prices?symbols=BTC-USD`)
    ).json()) as typeof restA
    expect(restA.prices['BTC-USD']).toEqual(restB.prices['BTC-USD'])
    expect(restA.unknown).toEqual(['NOPE'])
    const lastA = ticksOf(onA, 'BTC-USD').at(-1)
    expect(restA.prices['BTC-USD']?.seq).toBe(lastA?.seq)
  })

  it('sends one frame per market step, as the embedded server does', async () => {
    const world = await redisWorld()
    const publisher = world.publisher({ updateShare: 1 })
    await publisher.whenActive()
    const node = await world.node()
    await nodeReady(node)
    const client = await world.client(node)
    const symbols = ['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT']
    client.send({ type: 'subscribe', id: 1, symbols })
    await waitUntil(() => symbols.every((s) => ticksOf(client, s).length === 1))
    const before = client.frames
    for (let i = 0; i < 3; i++) await publisher.step()
    await waitUntil(() => symbols.every((s) => ticksOf(client, s).length === 4))
    // Four symbols' channels, yet at most one frame per step (steps that arrive together
    // share one), each holding whole steps: never a frame per symbol.
    const frames = client.frames - before
    expect(frames).toBeLessThanOrEqual(3)
    for (const batch of client.messages.slice(-frames)) {
      expect(batch.type).toBe('batch')
      expect((batch.messages ?? []).length % 4).toBe(0)
    }
  })

  it('subscribes in Redis only to the symbols its clients want', async () => {
    const world = await redisWorld()
    await world.publisher().whenActive()
    const node = await world.node()
    await nodeReady(node)
    const redis = world.raw()
    const channels = async () => ((await redis.pubsub('CHANNELS', 'test:px:*')) as string[]).sort()
    expect(await channels()).toEqual([])
    const client = await world.client(node)
    client.send({ type: 'subscribe', id: 1, symbols: ['ETH-USD'] })
    await client.waitFor((m) => m.type === 'snapshot' && m.symbol === 'ETH-USD')
    expect(await channels()).toEqual(['test:px:ETH-USD'])
    client.send({ type: 'subscribe', id: 2, symbols: ['MSFT'] })
    await client.waitFor((m) => m.type === 'snapshot' && m.symbol === 'MSFT')
    expect(await channels()).toEqual(['test:px:ETH-USD', 'test:px:MSFT'])
    client.send({ type: 'unsubscribe', symbols: ['ETH-USD'] })
    await waitUntil(async () => (await channels()).length === 1)
    expect(await channels()).toEqual(['test:px:MSFT'])
    expect(node.stats().redis?.channels).toBe(1)
  })

  it('keeps serving wanted symbols on the new channel layout when the publisher changes it', async () => {
    const world = await redisWorld()
    const first = world.publisher({ updateShare: 1 })
    await first.whenActive()
    const node = await world.node()
    await nodeReady(node)
    const redis = world.raw()
    const channels = async () => ((await redis.pubsub('CHANNELS', 'test:px:*')) as string[]).sort()
    const metricsChannels = async () => {
      const metrics = (await (await fetch(`${node.restUrl}/metrics`)).json()) as {
        redis?: { channels?: number }
      }
      return metrics.redis?.channels
    }
    const symbols = ['ETH-USD', 'MSFT']
    const client = await world.client(node)
    client.send({ type: 'subscribe', id: 1, symbols })
    await waitUntil(() => symbols.every((s) => ticksOf(client, s).length > 0))
    await first.step()
    await waitUntil(() => symbols.every((s) => ticksOf(client, s).at(-1)?.type === 'delta'))
    expect(await metricsChannels()).toBe(2)
    // A publisher with another layout takes over (the first hands its lease back on close);
    // the node's poll reads the new layout and must move the client's symbols onto it.
    await first.close()
    const second = world.publisher({ updateShare: 1, redis: { url: world.redis.url, shards: 4 } })
    await second.whenActive()
    // A move around the switch: the client gets it as a delta or in a fresh snapshot.
    await second.step()
    const keys = redisKeys('test')
    const expected = [...new Set(symbols.map((s) => channelFor(keys, s, 4)))].sort()
    await waitUntil(async () => (await channels()).join() === expected.join())
    const seqOf = async (symbol: string) => Number(await redis.hget('test:seq', symbol))
    const caughtUp = async () => {
      for (const s of symbols) if (ticksOf(client, s).at(-1)?.seq !== (await seqOf(s))) return false
      return true
    }
    await waitUntil(caughtUp)
    const seen = new Map(symbols.map((s) => [s, ticksOf(client, s).length]))
    for (let i = 0; i < 3; i++) await second.step()
    await waitUntil(caughtUp)
    for (const symbol of symbols) {
      // New deltas on the new layout, and one history the client merges without a gap.
      const after = ticksOf(client, symbol).slice(seen.get(symbol))
      expect(after.map((m) => m.type)).toEqual(['delta', 'delta', 'delta'])
      expectContiguous(ticksOf(client, symbol))
    }
    expect(await metricsChannels()).toBe((await channels()).length)
    expect(node.stats().redis?.gaps).toBe(0)
  })

  it('ends a channel cover that races a layout change subscribed on the new layout', async () => {
    const world = await redisWorld()
    const [sub, redis] = [world.raw(), world.raw()]
    const stats = initialEdgeStats()
    const keys = redisKeys('test')
    const edge = createEdgeChannels(sub, keys, stats)
    const covered = edge.cover(['ETH-USD', 'MSFT'])
    // The layout changes while the SUBSCRIBE of the per-symbol channels is in flight.
    const relaid = edge.setShards(4)
    await covered
    const expected = [...new Set(['ETH-USD', 'MSFT'].map((s) => channelFor(keys, s, 4)))].sort()
    expect(edge.list().sort()).toEqual(expected)
    expect(((await redis.pubsub('CHANNELS', 'test:px:*')) as string[]).sort()).toEqual(expected)
    expect(stats.channels).toBe(expected.length)
    // It tells the market to re-prime its symbols on the new layout.
    expect(relaid).toBe(true)
  })

  it('counts and drops a malformed Redis message without forwarding it or crashing', async () => {
    const world = await redisWorld()
    const publisher = world.publisher()
    await publisher.whenActive()
    const node = await world.node()
    await nodeReady(node)
    const client = await world.client(node)
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    const snapshot = await client.waitFor((m) => m.type === 'snapshot')
    const redis = world.raw()
    const bad = [
      'not json',
      '{"symbol":"BTC-USD"}',
      JSON.stringify([{ symbol: 'BTC-USD', seq: 'x', ts: 1, data: { price: 1 } }]),
      JSON.stringify([{ symbol: 'BTC-USD', seq: 99, ts: 1, data: { price: 'NaN' } }]),
      '[{"symbol":"BTC-USD","seq":99,"ts":1,"data":{"__proto__":{"polluted":1}}}]',
    ]
    for (const text of bad) await redis.publish('test:px:BTC-USD', text)
    await waitUntil(() => (node.stats().redis?.malformed ?? 0) === bad.length)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    await publisher.step()
    await publisher.step()
    const seq = Number(await redis.hget('test:seq', 'BTC-USD'))
    await waitUntil(() => ticksOf(client, 'BTC-USD').at(-1)?.seq === seq)
    // Only real moves reached the client, still contiguous from its snapshot.
    const seqs = ticksOf(client, 'BTC-USD').map((m) => m.seq as number)
    expect(seqs[0]).toBe(snapshot.seq)
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] as number) + 1)
    expect(client.messages.some((m) => m.type === 'error')).toBe(false)
    const health = await fetch(`${node.restUrl}/health`)
    expect(health.status).toBe(200)
  })
})
