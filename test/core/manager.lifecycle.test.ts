import { afterEach, describe, expect, it } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import type { StatusEvent } from '../../src/core/types'
import { startRestServer } from '../helpers/restServer'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { framesOf, harness, WS, type Harness } from './manager.helpers'
import { countingTimers } from './timers.helper'

let h: Harness | undefined
const extra: TestServer[] = []
afterEach(async () => {
  await h?.close()
  h = undefined
  for (const s of extra.splice(0)) await s.close()
})

const price = (symbol: string) => h!.manager.store.getState().prices[symbol]
const status = () => h!.manager.store.getState().connections.default?.status

describe('manager: life cycle end to end', () => {
  it('destroy() leaves no pending timer, socket or listener, and the manager is inert afterwards', async () => {
    h = await harness({
      staleAfterMs: 5_000,
      cacheTtlMs: 5_000,
      unsubscribeDelayMs: 1_000,
      restUrl: 'http://127.0.0.1:1',
    })
    const { server, manager, timers } = h
    const statuses: StatusEvent[] = []
    manager.on('status', (e) => statuses.push(e))
    const release = manager.subscribe(['A', 'B'])
    await h.until(() => price('A') !== undefined && price('B') !== undefined)
    server.send(server.delta('A', { price: 1 }))
    server.send(server.delta('A', { price: 2 }))
    release() // a delayed release waiting, a cache entry to come
    manager.send({ type: 'hello' })
    expect(timers.pending).toBeGreaterThan(0)
    manager.destroy()
    expect(timers.pending).toBe(0)
    expect(status()).toBe('closed')
    await h.until(() => server.openNow === 0)
    const seen = statuses.length
    // Inert: nothing throws, nothing happens.
    expect(() => {
      manager.subscribe(['C'])()
      manager.send({ type: 'x' })
      manager.reconnect()
      manager.disconnect()
      manager.start()
      manager.destroy()
      manager.on('status', () => {})()
    }).not.toThrow()
    await expect(manager.subscribePrices(['D'])).resolves.toBeUndefined()
    await h.sleep(100)
    expect(timers.pending).toBe(0)
    expect(server.opened).toBe(1)
    expect(statuses.length).toBe(seen)
  })

  it('with autoStart false, creating a manager starts nothing: no timer, no socket, no query client', async () => {
    const server = await createTestServer()
    extra.push(server)
    const timers = countingTimers()
    const manager = createStreamManager({
      url: server.url,
      restUrl: 'http://127.0.0.1:1',
      WebSocket: WS,
      autoStart: false,
      timers: timers.provider,
    })
    manager.subscribe(['A'])
    await server.waitFor(() => true)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(timers.pending).toBe(0)
    expect(server.opened).toBe(0)
    expect(manager.store.getState().connections.default!.status).toBe('idle')
    manager.destroy()
  })

  it('emits status changes as { connection, newState, oldState } and copies info into the store', async () => {
    h = await harness({ autoStart: false })
    const statuses: StatusEvent[] = []
    h.manager.on('status', (e) => statuses.push(e))
    expect(status()).toBe('idle')
    h.manager.start()
    await h.until(() => status() === 'open')
    expect(statuses.slice(0, 2)).toEqual([
      { connection: 'default', newState: 'connecting', oldState: 'idle' },
      { connection: 'default', newState: 'open', oldState: 'connecting' },
    ])
  })

  it('a symbol is marked stale after staleAfterMs without an update, and fresh data clears it', async () => {
    h = await harness({ staleAfterMs: 120, throttleMs: 0 })
    h.manager.subscribe(['A'])
    await h.until(() => price('A') !== undefined)
    expect(price('A')!.stale).toBe(false)
    await h.until(() => price('A')!.stale === true)
    h.server.send(h.server.delta('A', { price: 3 }))
    await h.until(() => price('A')!.price === 3)
    expect(price('A')!.stale).toBe(false)
  })

  it('the value stays cacheTtlMs after the last release, shows as cache when wanted again, and goes when the TTL ends', async () => {
    h = await harness({ cacheTtlMs: 250, unsubscribeDelayMs: 0, throttleMs: 0 })
    const { server, manager } = h
    let release = manager.subscribe(['A'])
    await h.until(() => price('A') !== undefined)
    release()
    await h.until(() => framesOf(server, 'unsubscribe').length === 1)
    await h.sleep(40)
    expect(price('A')!.price).toBe(100)
    server.autoSnapshot = false
    release = manager.subscribe(['A'])
    await h.until(() => price('A')?.source === 'cache')
    server.send(server.snapshot('A', { price: 120 }))
    await h.until(() => price('A')?.source === 'stream' && price('A')?.price === 120)
    release()
    await h.until(() => price('A') === undefined)
    expect(h.timers.pending).toBeLessThanOrEqual(2) // heartbeat and stale sweep at most
  })

  it('send() queues while not open and flushes after the subscribe frames on open', async () => {
    h = await harness({ autoStart: false })
    h.manager.send({ type: 'hello', n: 1 })
    h.manager.subscribe(['A'])
    h.manager.send({ type: 'hello', n: 2 })
    h.manager.start()
    await h.until(() => h!.server.received.length === 3)
    expect(h.server.received).toEqual([
      { type: 'subscribe', id: 1, symbols: ['A'] },
      { type: 'hello', n: 1 },
      { type: 'hello', n: 2 },
    ])
  })

  it('disconnect() closes and sticks; reconnect() opens again with the wanted set', async () => {
    h = await harness({ reconnect: { initialDelayMs: 10, maxDelayMs: 10, jitter: 0 } })
    h.manager.subscribe(['A'])
    await h.until(() => price('A') !== undefined)
    h.manager.disconnect()
    await h.until(() => status() === 'closed' && h!.server.openNow === 0)
    await h.sleep(80)
    expect(h.server.opened).toBe(1)
    h.manager.reconnect()
    await h.until(
      () =>
        status() === 'open' &&
        h!.server.sockets.length === 2 &&
        h!.server.sockets[1]!.received.length > 0,
    )
    expect(h.server.sockets[1]!.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['A'] }])
  })

  it('getStats gives one connection or the sums; routes by options.connection', async () => {
    const a = await createTestServer()
    const b = await createTestServer()
    extra.push(a, b)
    const timers = countingTimers()
    const manager = createStreamManager({
      connections: {
        prices: { url: a.url, WebSocket: WS },
        orders: { url: b.url, WebSocket: WS, lazy: true },
      },
      timers: timers.provider,
    })
    try {
      expect(manager.connectionNames).toEqual(['prices', 'orders'])
      expect(() => manager.subscribe(['A'])).toThrow(/connection/)
      expect(() => manager.subscribe(['A'], { connection: 'nope' })).toThrow(/nope/)
      manager.subscribe(['A'], { connection: 'prices' })
      await a.waitFor(() => manager.store.getState().prices.A !== undefined)
      expect(b.opened).toBe(0)
      expect(manager.store.getState().connections.orders!.status).toBe('idle')
      manager.subscribe(['B'], { connection: 'orders' })
      await b.waitFor(() => manager.store.getState().prices.B !== undefined)
      expect(manager.store.getState().prices.B!.connection).toBe('orders')
      expect(a.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['A'] }])
      expect(b.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['B'] }])
      manager.send({ type: 'order' }, { connection: 'orders' })
      await b.waitFor(() => b.received.length === 2)
      const pa = manager.getStats('prices')
      const pb = manager.getStats('orders')
      const sum = manager.getStats()
      expect(pa.messagesIn).toBeGreaterThan(0)
      expect(sum.messagesIn).toBe(pa.messagesIn + pb.messagesIn)
      expect(sum.messagesOut).toBe(pa.messagesOut + pb.messagesOut)
      expect(pb.messagesOut).toBe(2)
    } finally {
      manager.destroy()
    }
    expect(timers.pending).toBe(0)
  })

  it('falls back to REST polling after failed attempts, applies polls with source poll, and stops once a socket opens', async () => {
    const polls: string[][] = []
    h = await harness({
      reconnect: { initialDelayMs: 15, maxDelayMs: 15, jitter: 0 },
      fallbackAfterFailures: 2,
      fallbackIntervalMs: 60,
      throttleMs: 0,
      fetchSnapshot: async (symbols) => {
        polls.push(symbols)
        return { prices: { A: { seq: 3, ts: 1, data: { price: 77 } } }, unknown: ['XYZ'] }
      },
    })
    const { server, manager } = h
    server.refuse('reject')
    server.dropAll()
    await h
      .until(() => status() !== 'connecting' && status() !== 'open', 3_000)
      .catch(() => undefined)
    manager.subscribe(['A', 'XYZ'])
    await h.until(() => status() === 'fallback', 3_000)
    await h.until(() => price('A')?.source === 'poll')
    expect(price('A')!.price).toBe(77)
    expect(manager.store.getState().symbolErrors.XYZ?.code).toBe('unknown_symbol')
    expect(polls[0]!.sort()).toEqual(['A', 'XYZ'])
    server.accept()
    await h.until(() => status() === 'open', 3_000)
    await h.until(() => price('A')?.source === 'stream')
    const count = polls.length
    await h.sleep(200)
    expect(polls.length).toBe(count)
    expect(server.last!.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['A'] }])
  })

  it('polls restUrl while in fallback: at once, then every fallbackIntervalMs, for the wanted symbols only', async () => {
    const rest = await startRestServer()
    try {
      h = await harness({
        restUrl: rest.url,
        reconnect: { initialDelayMs: 15, maxDelayMs: 15, jitter: 0 },
        fallbackAfterFailures: 2,
        fallbackIntervalMs: 80,
        throttleMs: 0,
        unsubscribeDelayMs: 0,
      })
      h.server.refuse('reject')
      h.server.dropAll()
      h.manager.subscribe(['A', 'B'])
      const gone = h.manager.subscribe(['C'])
      gone()
      await h.until(() => status() === 'fallback', 3_000)
      await h.until(() => price('A')?.source === 'poll' && price('B')?.source === 'poll')
      expect(rest.requests[0]!.symbols.sort()).toEqual(['A', 'B'])
      await h.until(() => rest.requests.length >= 3, 3_000)
      // Destroyed while polling: no poll timer, retry or reconnect timer is left.
      h.manager.destroy()
      expect(h.timers.pending).toBe(0)
      const polls = rest.requests.length
      await h.sleep(200)
      expect(rest.requests.length).toBe(polls)
    } finally {
      await h?.close()
      h = undefined
      await rest.close()
    }
  })
})
