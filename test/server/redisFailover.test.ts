import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createStreamManager, selectPrice, type StreamManager } from '../../src/core/index'
import { startBinanceReplayServer, type BinanceReplayServer } from '../helpers/binanceReplayServer'
import { flatten, type Msg, type TestClient } from './client'
import { expectContiguous, nodeReady, redisWorld, waitUntil } from './redisSetup'

const children: ChildProcess[] = []
let replay: BinanceReplayServer | undefined
let manager: StreamManager | undefined

afterEach(async () => {
  manager?.destroy()
  manager = undefined
  await replay?.close()
  replay = undefined
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
})

function ticksOf(client: TestClient, symbol: string): Msg[] {
  return flatten(client.messages).filter(
    (m) => (m.type === 'snapshot' || m.type === 'delta') && m.symbol === symbol,
  )
}

/** `tickwire-feed publish` in its own Node process (so it can be killed like a crash). */
function publisherProcess(url: string): { child: ChildProcess; active: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/server/cli.ts',
      'publish',
      '--redis',
      url,
      '--prefix',
      'test',
      '--symbols',
      'BTC-USD,ETH-USD,AAPL,MSFT',
      '--hz',
      '20',
      '--lease-ms',
      '1500',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  children.push(child)
  let out = ''
  const active = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (/publisher: active/.test(out)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`publisher exited (${code}): ${out}`)))
  })
  active.catch(() => undefined)
  return { child, active }
}

describe('scaled-out feed: failures', () => {
  it('a client whose node dies continues on the other node without a gap', async () => {
    const world = await redisWorld()
    world.publisher({ tickHz: 50, updateShare: 1 })
    const [a, b] = [await world.node(), await world.node()]
    await Promise.all([nodeReady(a), nodeReady(b)])
    const onA = await world.client(a)
    onA.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await waitUntil(() => ticksOf(onA, 'BTC-USD').length >= 5)
    await a.close()
    const lastOnA = ticksOf(onA, 'BTC-USD').at(-1) as Msg
    const onB = await world.client(b)
    onB.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await waitUntil(() => ticksOf(onB, 'BTC-USD').length >= 5)
    const first = ticksOf(onB, 'BTC-USD')[0] as Msg
    expect(first.type).toBe('snapshot')
    expect(first.seq as number).toBeGreaterThanOrEqual(lastOnA.seq as number)
    // The two sockets' messages form one history a client merges without a resync.
    expectContiguous([...ticksOf(onA, 'BTC-USD'), ...ticksOf(onB, 'BTC-USD')])
  })

  it('the standby publisher takes over when the active one is killed; seqs continue', async () => {
    const world = await redisWorld()
    const first = publisherProcess(world.redis.url)
    await first.active
    const second = publisherProcess(world.redis.url)
    const node = await world.node()
    await nodeReady(node)
    const client = await world.client(node)
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD', 'AAPL'] })
    // Every message on the channels, straight from Redis, to check no seq repeats.
    const spy = world.raw()
    const seen: Array<{ symbol: string; seq: number }> = []
    spy.on('message', (_channel: string, text: string) => {
      for (const move of JSON.parse(text) as Array<{ symbol: string; seq: number }>) seen.push(move)
    })
    await spy.subscribe('test:px:BTC-USD', 'test:px:AAPL')
    await waitUntil(() => ticksOf(client, 'BTC-USD').length >= 5, 10_000)
    first.child.kill('SIGKILL')
    const killedAt = Date.now()
    const before = seen.length
    await second.active
    const takeoverMs = Date.now() - killedAt
    await waitUntil(() => seen.length >= before + 10, 10_000)
    // The lease is 1.5 s and the standby retries every 0.5 s: "within a few seconds".
    expect(takeoverMs).toBeLessThan(6000)
    for (const symbol of ['BTC-USD', 'AAPL']) {
      const seqs = seen.filter((m) => m.symbol === symbol).map((m) => m.seq)
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] as number) + 1)
    }
    const lastSeq = seen.filter((m) => m.symbol === 'BTC-USD').at(-1)?.seq as number
    await waitUntil(() => (ticksOf(client, 'BTC-USD').at(-1)?.seq ?? 0) >= lastSeq, 10_000)
    expectContiguous(ticksOf(client, 'BTC-USD'))
    expect(node.stats().redis?.gaps).toBe(0)
  }, 60_000)

  it('a publisher that lost its lease is fenced: it writes nothing', async () => {
    const world = await redisWorld()
    // It renews rarely, so it still believes it is active when the lease is gone.
    const one = world.publisher({ renewMs: 60_000 })
    await one.whenActive()
    const redis = world.raw()
    // The lease vanishes under the active publisher (as if it had paused past its TTL)...
    await redis.del('test:lease')
    const two = world.publisher()
    await two.whenActive()
    const seqBefore = await redis.hgetall('test:seq')
    // ...so whatever it believes, its writes are refused by the script's token check.
    expect(one.active).toBe(true)
    expect(await one.step()).toBeNull()
    expect(one.stats().fenced).toBe(1)
    expect(await redis.hgetall('test:seq')).toEqual(seqBefore)
    // Told by the refusal, it stands by.
    await waitUntil(() => !one.active)
    expect(await two.step()).not.toBeNull()
  })

  it('survives a Redis restart: keeps sockets, says why in /health, then sends fresh snapshots', async () => {
    const world = await redisWorld()
    const publisher = world.publisher({ tickHz: 20, updateShare: 1 })
    await publisher.whenActive()
    const node = await world.node()
    await nodeReady(node)
    const client = await world.client(node)
    client.send({ type: 'subscribe', id: 1, symbols: ['ETH-USD'] })
    await waitUntil(() => ticksOf(client, 'ETH-USD').length >= 3)
    await world.redis.stop()
    await waitUntil(async () => (await fetch(`${node.restUrl}/health`)).status === 503)
    const health = (await (await fetch(`${node.restUrl}/health`)).json()) as Record<string, unknown>
    expect(health).toMatchObject({ status: 'degraded', redis: 'disconnected' })
    expect(String(health['reason'])).toMatch(/Redis/)
    expect((await fetch(`${node.restUrl}/prices?symbols=ETH-USD`)).status).toBe(503)
    expect(node.stats().redis?.connected).toBe(false)
    const lastBefore = ticksOf(client, 'ETH-USD').at(-1) as Msg
    const countDuring = client.messages.length
    await new Promise((resolve) => setTimeout(resolve, 300))
    // Nothing it cannot vouch for went out, and the socket is still open.
    expect(client.messages.length).toBe(countDuring)
    expect(client.ws.readyState).toBe(WebSocket.OPEN)
    await world.redis.start()
    await nodeReady(node)
    const fresh = await client.waitFor(
      (m) =>
        flatten([m]).some(
          (t) =>
            t.type === 'snapshot' && t.symbol === 'ETH-USD' && t !== ticksOf(client, 'ETH-USD')[0],
        ),
      10_000,
    )
    const snapshot = flatten([fresh]).find((t) => t.type === 'snapshot') as Msg
    // Redis forgot its counters; the publisher's floor keeps the seq moving forward.
    expect(snapshot.seq as number).toBeGreaterThan(lastBefore.seq as number)
    await waitUntil(() => ticksOf(client, 'ETH-USD').at(-1)?.type === 'delta', 10_000)
    expectContiguous(ticksOf(client, 'ETH-USD'))
    expect(node.stats().redis?.recoveries).toBe(1)
  }, 30_000)

  it("a Redis outage shows as the client kit's staleness, and clears on return", async () => {
    const world = await redisWorld()
    await world.publisher({ tickHz: 20, updateShare: 1 }).whenActive()
    const node = await world.node()
    await nodeReady(node)
    manager = createStreamManager({ url: node.url, WebSocket, throttleMs: 0, staleAfterMs: 400 })
    const m = manager
    m.subscribe(['AAPL'])
    const tick = () => selectPrice('AAPL')(m.store.getState())
    await waitUntil(() => tick()?.stale === false)
    await world.redis.stop()
    await waitUntil(() => tick()?.stale === true)
    // The socket stayed up: the pause is visible per symbol, not as a disconnect.
    expect(m.store.getState().connections['default']?.status).toBe('open')
    const seqDuring = tick()?.seq as number
    await world.redis.start()
    await waitUntil(() => tick()?.stale === false && (tick()?.seq as number) > seqDuring, 10_000)
  }, 30_000)

  it('an upstream exchange stream flows through Redis and a node to a client manager', async () => {
    const world = await redisWorld()
    replay = await startBinanceReplayServer()
    const publisher = world.publisher({
      symbols: ['BTC-USD'],
      upstream: {
        url: `${replay.url}/stream`,
        symbols: ['BTC-USD'],
        exchangeNames: { 'BTC-USD': 'BTCUSDT' },
      },
    })
    await waitUntil(() => replay?.subscribed().has('btcusdt@ticker') ?? false)
    replay.replay()
    await publisher.whenActive()
    const node = await world.node()
    await nodeReady(node)
    manager = createStreamManager({ url: node.url, WebSocket, throttleMs: 0 })
    const m = manager
    m.subscribe(['BTC-USD'])
    await waitUntil(() => selectPrice('BTC-USD')(m.store.getState())?.price === 100.5)
    replay.replay()
    await waitUntil(() => selectPrice('BTC-USD')(m.store.getState())?.price === 101)
    const tick = selectPrice('BTC-USD')(m.store.getState())
    expect(tick).toMatchObject({ bid: 100.99, ask: 101.01, high24h: 103.02 })
  })
})
