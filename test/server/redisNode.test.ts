import { EventSource } from 'eventsource'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeReady, redisWorld, waitUntil } from './redisSetup'

let es: EventSource | undefined
afterEach(() => es?.close())

describe('an edge node serves the same paths as the embedded server', () => {
  it('answers 503 with a reason until a publisher has announced the market', async () => {
    const world = await redisWorld()
    const node = await world.node()
    await waitUntil(async () => {
      const res = await fetch(`${node.restUrl}/health`)
      const body = (await res.json()) as { reason?: string }
      return res.status === 503 && body.reason === 'no publisher has announced the market'
    })
    world.publisher()
    await nodeReady(node)
    const health = (await (await fetch(`${node.restUrl}/health`)).json()) as Record<string, unknown>
    expect(health).toMatchObject({ status: 'ok', redis: 'connected', symbols: 4 })
  })

  it('streams snapshots and deltas over SSE', async () => {
    const world = await redisWorld()
    const publisher = world.publisher()
    await publisher.whenActive()
    const node = await world.node()
    await nodeReady(node)
    const events: Array<{ type: string; symbol?: string; seq?: number }> = []
    es = new EventSource(`${node.sseUrl}?symbols=AAPL,NOPE`)
    es.onmessage = (event) => events.push(JSON.parse(String(event.data)) as (typeof events)[0])
    await waitUntil(() => events.some((e) => e.type === 'snapshot' && e.symbol === 'AAPL'))
    expect(events.find((e) => e.type === 'error')).toMatchObject({ symbols: ['NOPE'] })
    const snapshot = events.find((e) => e.type === 'snapshot')
    // Moves until AAPL has moved (a step moves a quarter of the symbols).
    while (!events.some((e) => e.type === 'delta')) {
      await publisher.step()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(events.find((e) => e.type === 'delta')?.seq).toBe((snapshot?.seq as number) + 1)
  })

  it('keeps authentication and MessagePack', async () => {
    const world = await redisWorld()
    await world.publisher().whenActive()
    const node = await world.node({ verifyToken: (token) => token === 'good' })
    await nodeReady(node)
    const refused = await world.client(node)
    refused.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    expect(await refused.closed).toBe(4401)
    const client = await world.client(node, ['tickwire.v1.msgpack'])
    client.send({ type: 'auth', token: 'good' })
    client.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    const snapshot = await client.waitFor((m) => m.type === 'snapshot')
    expect(snapshot).toMatchObject({ symbol: 'BTC-USD' })
    expect(client.binaryFrames).toBe(client.messages.length)
  })
})
