import { afterEach, describe, expect, it } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { framesOf, harness, symbolsOf, WS, type Harness } from './manager.helpers'

let h: Harness | undefined
const extra: { server: TestServer; manager: StreamManager }[] = []
afterEach(async () => {
  await h?.close()
  h = undefined
  for (const { server, manager } of extra.splice(0)) {
    manager.destroy()
    await server.close()
  }
})

const info = (name = 'default') => h!.manager.store.getState().connections[name]

describe('manager: setConnectionEnabled', () => {
  it('turns a running connection off and on: closed, then reconnected and resubscribed', async () => {
    h = await harness({ throttleMs: 0 })
    const { server, manager } = h
    manager.subscribe(['A'])
    await h.until(() => manager.store.getState().prices['A'] !== undefined)

    manager.setConnectionEnabled('default', false)
    manager.setConnectionEnabled('default', false) // idempotent
    await h.until(() => server.openNow === 0 && info()?.status === 'closed')
    expect(info()?.reason).toBe('manual')

    manager.setConnectionEnabled('default', true)
    manager.setConnectionEnabled('default', true) // idempotent: one socket, not two
    await h.until(() => info()?.status === 'open' && symbolsOf(server, 'subscribe').length === 2)
    expect(server.opened).toBe(2)
    expect(symbolsOf(server, 'subscribe')).toEqual(['A', 'A'])
  })

  it('a connection turned off before start() never opens; turning it on starts it', async () => {
    h = await harness({ autoStart: false })
    const { server, manager } = h
    manager.setConnectionEnabled('default', false)
    manager.subscribe(['A'])
    manager.start()
    await h.until(() => info()?.status === 'closed')
    await h.sleep(50)
    expect(server.opened).toBe(0)

    manager.setConnectionEnabled('default', true)
    await h.until(() => manager.store.getState().prices['A'] !== undefined)
    expect(server.opened).toBe(1)
  })

  it('a lazy connection turned off stays closed when a symbol is wanted, and opens when on', async () => {
    h = await harness({ lazy: true })
    const { server, manager } = h
    manager.setConnectionEnabled('default', false)
    expect(manager.store.getState().connections['default']?.status).toBe('idle')
    manager.subscribe(['B'])
    await h.until(() => info()?.status === 'closed')
    expect(server.opened).toBe(0)
    manager.setConnectionEnabled('default', true)
    await h.until(() => manager.store.getState().prices['B'] !== undefined)
    expect(server.opened).toBe(1)
  })

  it('an unknown connection name throws a clear error', async () => {
    h = await harness()
    expect(() => h!.manager.setConnectionEnabled('nope', false)).toThrow(/no connection named/)
  })
})

describe('manager: setThrottle', () => {
  it('changes the per-symbol throttle of the running manager, and undefined restores it', async () => {
    h = await harness({ throttleMs: 60_000 })
    const { server, manager } = h
    manager.subscribe(['A'])
    await h.until(() => manager.store.getState().prices['A'] !== undefined)
    const first = manager.store.getState().prices['A']!.seq
    server.send(server.delta('A', { price: 7 }))
    // Within the one-minute window: the delta waits.
    await h.sleep(100)
    expect(manager.store.getState().prices['A']!.seq).toBe(first)

    manager.setThrottle(0)
    await h.until(() => manager.store.getState().prices['A']!.price === 7)

    manager.setThrottle(undefined) // back to the configured minute
    server.send(server.delta('A', { price: 8 }))
    await h.sleep(100)
    expect(manager.store.getState().prices['A']!.price).toBe(7)
  })

  it('refuses a negative or non-finite throttle with a RangeError and keeps running', async () => {
    h = await harness({ throttleMs: 0 })
    expect(() => h!.manager.setThrottle(-1)).toThrow(RangeError)
    expect(() => h!.manager.setThrottle(Number.NaN)).toThrow(RangeError)
    h.manager.subscribe(['A'])
    await h.until(() => h!.manager.store.getState().prices['A'] !== undefined)
  })
})

describe('manager: seedPrices', () => {
  it('shows a REST snapshot for a wanted symbol at once, in the task that subscribed', async () => {
    const server = await createTestServer({ autoSnapshot: false })
    const manager = createStreamManager({ url: server.url, WebSocket: WS, throttleMs: 0 })
    extra.push({ server, manager })
    manager.subscribe(['A'])
    manager.seedPrices({ prices: { A: { seq: 5, ts: 1, data: { price: 42 } } }, unknown: [] })
    await server.waitFor(() => manager.store.getState().prices['A'] !== undefined)
    expect(manager.store.getState().prices['A']).toMatchObject({
      price: 42,
      seq: 5,
      source: 'poll',
    })
  })

  it('never replaces a newer streamed price, and ignores symbols nobody wants', async () => {
    h = await harness({ throttleMs: 0 })
    const { server, manager } = h
    manager.subscribe(['A'])
    await h.until(() => manager.store.getState().prices['A'] !== undefined)
    server.send(server.delta('A', { price: 9 }))
    await h.until(() => manager.store.getState().prices['A']!.price === 9)
    const streamed = manager.store.getState().prices['A']!
    manager.seedPrices({
      prices: {
        A: { seq: streamed.seq - 1, ts: streamed.ts + 1, data: { price: 1 } },
        Z: { seq: 1, data: { price: 1 } },
      },
      unknown: [],
    })
    await h.sleep(50)
    expect(manager.store.getState().prices['A']).toBe(streamed)
    expect(manager.store.getState().prices['Z']).toBeUndefined()
    expect(framesOf(server, 'subscribe')).toHaveLength(1)
  })
})
