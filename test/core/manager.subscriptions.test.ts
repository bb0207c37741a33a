import { afterEach, describe, expect, it } from 'vitest'
import { framesOf, harness, symbolsOf, type Harness } from './manager.helpers'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('manager: subscriptions end to end', () => {
  it('MUST hold at most one server-side subscription per symbol: two subscribers send one subscribe, the second release sends the unsubscribe', async () => {
    h = await harness({ unsubscribeDelayMs: 0 })
    const { server, manager } = h
    await h.until(
      () => server.openNow === 1 && manager.store.getState().connections.default?.status === 'open',
    )
    const r1 = manager.subscribe(['BTC-USD'])
    const r2 = manager.subscribe(['BTC-USD'])
    await h.until(() => manager.store.getState().prices['BTC-USD'] !== undefined)
    expect(framesOf(server, 'subscribe')).toEqual([
      { type: 'subscribe', id: 1, symbols: ['BTC-USD'] },
    ])
    r1()
    r1()
    await h.sleep(30)
    expect(framesOf(server, 'unsubscribe')).toEqual([])
    r2()
    await h.until(() => framesOf(server, 'unsubscribe').length === 1)
    expect(framesOf(server, 'unsubscribe')).toEqual([
      { type: 'unsubscribe', id: 2, symbols: ['BTC-USD'] },
    ])
  })

  it('MUST split a subscribe or unsubscribe of more than 100 symbols: 250 symbols become 3 subscribe frames', async () => {
    h = await harness({ unsubscribeDelayMs: 0 })
    const symbols = Array.from({ length: 250 }, (_, i) => `S${i}`)
    const release = h.manager.subscribe(symbols)
    await h.until(() => framesOf(h!.server, 'subscribe').length === 3)
    const frames = framesOf(h.server, 'subscribe')
    expect(frames.map((f) => (f.symbols as string[]).length)).toEqual([100, 100, 50])
    expect(frames.map((f) => f.id)).toEqual([1, 2, 3])
    expect(symbolsOf(h.server, 'subscribe').sort()).toEqual([...symbols].sort())
    await h.until(() => Object.keys(h!.manager.store.getState().prices).length === 250)
    release()
    await h.until(() => framesOf(h!.server, 'unsubscribe').length === 3)
    expect(framesOf(h.server, 'unsubscribe').map((f) => (f.symbols as string[]).length)).toEqual([
      100, 100, 50,
    ])
  })

  it('a symbol released while the socket is down is not subscribed on the new socket, nor unsubscribed a second later', async () => {
    h = await harness({
      unsubscribeDelayMs: 600,
      reconnect: { initialDelayMs: 20, maxDelayMs: 20 },
    })
    const { server, manager } = h
    manager.subscribe(['A'])
    const releaseB = manager.subscribe(['B'])
    await h.until(() => manager.store.getState().prices.B !== undefined)
    server.refuse('reject')
    server.dropAll()
    await h.until(() => manager.store.getState().connections.default?.status === 'reconnecting')
    // Released while offline: its unsubscribe waits for the delay.
    releaseB()
    server.accept()
    await h.until(() => server.openNow === 1 && (server.last?.received.length ?? 0) > 0)
    await h.sleep(800)
    // A new socket carries only what is held.
    expect(server.last?.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['A'] }])
  })

  it('MUST work without welcome, and with one', async () => {
    h = await harness()
    h.manager.subscribe(['A'])
    await h.until(() => h!.manager.store.getState().prices.A !== undefined)
    h.server.send({ type: 'welcome', serverTime: Date.now(), heartbeatMs: 30_000 })
    h.server.send(h.server.delta('A', { price: 222 }))
    await h.until(() => h!.manager.store.getState().prices.A?.price === 222)
    expect(h.manager.getStats().invalid).toBe(0)
  })

  it('a component that releases and wants again within unsubscribeDelayMs sends nothing', async () => {
    h = await harness({ unsubscribeDelayMs: 200 })
    const release = h.manager.subscribe(['ETH-USD'])
    await h.until(() => framesOf(h!.server, 'subscribe').length === 1)
    release()
    await h.sleep(50)
    const again = h.manager.subscribe(['ETH-USD'])
    await h.sleep(300)
    expect(framesOf(h.server, 'subscribe')).toHaveLength(1)
    expect(framesOf(h.server, 'unsubscribe')).toHaveLength(0)
    again()
    await h.until(() => framesOf(h!.server, 'unsubscribe').length === 1)
  })

  it('subscribePrices and unsubscribePrices keep their own references', async () => {
    h = await harness({ unsubscribeDelayMs: 0 })
    const release = h.manager.subscribe(['A'])
    await h.manager.subscribePrices(['A', 'B'])
    await h.until(() => symbolsOf(h!.server, 'subscribe').length === 2)
    release()
    await h.manager.unsubscribePrices(['A'])
    await h.until(() => symbolsOf(h!.server, 'unsubscribe').includes('A'))
    await h.manager.unsubscribePrices(['A'])
    await h.manager.unsubscribePrices(['B'])
    await h.until(() => symbolsOf(h!.server, 'unsubscribe').includes('B'))
    expect(symbolsOf(h.server, 'unsubscribe')).toEqual(['A', 'B'])
  })

  it('MUST send after every (re)open the subscribe for every wanted symbol and nothing for symbols no longer wanted: a server restart ends with exactly the wanted set', async () => {
    h = await harness({
      unsubscribeDelayMs: 0,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    })
    const { server, manager } = h
    const keep = manager.subscribe(['A', 'B'])
    const drop = manager.subscribe(['C'])
    await h.until(() => Object.keys(manager.store.getState().prices).length === 3)
    server.stall(true)
    server.restart()
    drop()
    const late = manager.subscribe(['D'])
    server.stall(false)
    await h.until(() => server.openNow === 1 && server.sockets.length === 2)
    await h.until(() => server.sockets[1]!.received.length > 0)
    await h.sleep(50)
    const second = server.sockets[1]!.received as Record<string, unknown>[]
    expect(second.filter((m) => m.type === 'unsubscribe')).toEqual([])
    expect(
      second
        .filter((m) => m.type === 'subscribe')
        .flatMap((m) => m.symbols as string[])
        .sort(),
    ).toEqual(['A', 'B', 'D'])
    expect(second.find((m) => m.type === 'subscribe')!.id).toBe(1)
    // The restarted feed counts seq from 0 again: its snapshots replace, its deltas apply.
    await h.until(() => manager.store.getState().prices.A?.seq === 0)
    server.send(server.delta('A', { price: 321 }))
    await h.until(() => manager.store.getState().prices.A?.price === 321)
    expect(framesOf(server, 'resync')).toEqual([])
    keep()
    late()
  })

  it('wants that came and went while offline send nothing', async () => {
    h = await harness({
      unsubscribeDelayMs: 0,
      reconnect: { initialDelayMs: 100, maxDelayMs: 100, jitter: 0 },
    })
    const { server, manager } = h
    await h.until(() => manager.store.getState().connections.default?.status === 'open')
    server.dropAll()
    await h.until(() => manager.store.getState().connections.default?.status === 'reconnecting')
    const r = manager.subscribe(['GONE'])
    r()
    manager.subscribe(['STAY'])
    await h.until(() => server.sockets.length === 2 && server.sockets[1]!.received.length > 0)
    await h.sleep(30)
    expect(server.sockets[1]!.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['STAY'] }])
  })

  it('lazy connections open at their first subscription; autoStart false waits for start()', async () => {
    h = await harness({ lazy: true })
    await h.sleep(50)
    expect(h.server.opened).toBe(0)
    expect(h.manager.store.getState().connections.default?.status).toBe('idle')
    h.manager.subscribe(['A'])
    await h.until(() => h!.manager.store.getState().prices.A !== undefined)
    await h.close()

    h = await harness({ autoStart: false })
    h.manager.subscribe(['A'])
    await h.sleep(50)
    expect(h.server.opened).toBe(0)
    h.manager.start()
    h.manager.start()
    await h.until(() => h!.manager.store.getState().prices.A !== undefined)
    expect(h.server.opened).toBe(1)
  })
})

describe('manager: wanted-set changes of one task go out together', () => {
  it('200 components subscribing one symbol each in one task send 2 subscribe frames', async () => {
    h = await harness()
    await h.until(() => h!.manager.store.getState().connections.default?.status === 'open')
    for (let i = 0; i < 200; i++) h.manager.subscribe([`R${i}`])
    await h.until(() => symbolsOf(h!.server, 'subscribe').length === 200)
    expect(framesOf(h.server, 'subscribe').map((f) => (f.symbols as string[]).length)).toEqual([
      100, 100,
    ])
  })

  it('subscribePrices resolves once the subscribe frame is sent', async () => {
    h = await harness()
    await h.until(() => h!.manager.store.getState().connections.default?.status === 'open')
    const before = h.manager.getStats().messagesOut
    await h.manager.subscribePrices(['A'])
    expect(h.manager.getStats().messagesOut).toBe(before + 1)
  })
})

describe('manager: order of frames after open', () => {
  it('MUST send auth first, then subscribe for every wanted symbol, then the queued frames, on every (re)open', async () => {
    let n = 0
    h = await harness({
      autoStart: false,
      getToken: () => `token-${++n}`,
      reconnect: { initialDelayMs: 20, maxDelayMs: 20, jitter: 0 },
    })
    const { server, manager } = h
    manager.subscribe(['A', 'B'])
    manager.send({ type: 'note', n: 1 })
    manager.start()
    await h.until(() => server.sockets[0]?.received.length === 3)
    expect(server.sockets[0]!.received).toEqual([
      { type: 'auth', token: 'token-1' },
      { type: 'subscribe', id: 1, symbols: ['A', 'B'] },
      { type: 'note', n: 1 },
    ])
    server.dropAll()
    await h.until(() => server.sockets.length === 2 && server.sockets[1]!.received.length === 2)
    expect(server.sockets[1]!.received).toEqual([
      { type: 'auth', token: 'token-2' },
      { type: 'subscribe', id: 1, symbols: ['A', 'B'] },
    ])
  })
})
