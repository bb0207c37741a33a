import { afterEach, describe, expect, it } from 'vitest'
import type { StreamErrorEvent } from '../../src/core/types'
import { framesOf, harness, type Harness } from './manager.helpers'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const price = (symbol: string) => h!.manager.store.getState().prices[symbol]

/** A harness with `symbols` subscribed and their first snapshot in the store. */
async function ready(symbols: string[], config: Parameters<typeof harness>[0] = {}) {
  h = await harness(config)
  const release = h.manager.subscribe(symbols)
  await h.until(() => symbols.every((s) => price(s) !== undefined))
  return release
}

describe('manager: inbound data end to end', () => {
  it('1,000 deltas for one symbol in about a second, in real time: the store changes about once per throttle window and ends at the last value', async () => {
    await ready(['BTC-USD'])
    const { server, manager } = h!
    let writes = 0
    let last = price('BTC-USD')
    manager.store.subscribe((s) => {
      if (s.prices['BTC-USD'] !== last) {
        last = s.prices['BTC-USD']
        writes++
      }
    })
    const started = performance.now()
    // 100 bursts of 10 deltas, one burst every ~9 ms (8 ms sleep plus I/O).
    for (let burst = 0; burst < 100; burst++) {
      for (let i = 1; i <= 10; i++) server.send(server.delta('BTC-USD', { price: burst * 10 + i }))
      await h!.sleep(8)
    }
    await h!.until(() => price('BTC-USD')?.price === 1_000)
    const elapsed = performance.now() - started
    await h!.sleep(150)
    expect(price('BTC-USD')!.price).toBe(1_000)
    // One write per 100 ms window at most, plus the leading and the trailing one; on a loaded
    // machine the sending itself may take longer than a second, hence the measured bound.
    expect(writes).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2)
    expect(writes).toBeGreaterThanOrEqual(3)
    expect(manager.getStats().invalid).toBe(0)
  })

  it('MUST apply a delta only at last seq + 1: a gap sends exactly one resync and the snapshot heals it', async () => {
    await ready(['A'], { throttleMs: 0 })
    const { server } = h!
    server.send(server.delta('A', { price: 101 }))
    await h!.until(() => price('A')?.price === 101)
    server.delta('A', { price: 102 }) // lost on the way: a gap
    server.send(server.delta('A', { price: 103 }))
    server.send(server.delta('A', { price: 104 }))
    server.send(server.delta('A', { price: 105 }))
    await h!.until(() => framesOf(server, 'resync').length === 1)
    await h!.sleep(50)
    expect(framesOf(server, 'resync')).toEqual([{ type: 'resync', symbols: ['A'] }])
    expect(price('A')!.price).toBe(101)
    server.send(server.snapshot('A', { price: 110 }))
    await h!.until(() => price('A')?.price === 110)
    server.send(server.delta('A', { price: 111 }))
    await h!.until(() => price('A')?.price === 111)
    expect(framesOf(server, 'resync')).toHaveLength(1)
  })

  it('MUST split a resync of more than 100 symbols: the gaps of one batch go out as frames of at most 100', async () => {
    const symbols = Array.from({ length: 150 }, (_, i) => `G${i}`)
    await ready(symbols)
    const { server } = h!
    for (const s of symbols) server.delta(s, { price: 1 })
    server.send({ type: 'batch', messages: symbols.map((s) => server.delta(s, { price: 2 })) })
    await h!.until(() => framesOf(server, 'resync').length === 2)
    expect(framesOf(server, 'resync').map((f) => (f.symbols as string[]).length)).toEqual([100, 50])
  })

  it('drops a duplicate or late delta silently: not applied, not counted as invalid', async () => {
    await ready(['A'], { throttleMs: 0 })
    const { server, manager } = h!
    const errors: StreamErrorEvent[] = []
    manager.on('error', (e) => errors.push(e))
    const delta = server.delta('A', { price: 7 })
    server.send(delta)
    await h!.until(() => price('A')?.price === 7)
    server.send({ ...delta, data: { price: 99 } })
    server.send({ ...delta, seq: (delta.seq as number) - 1, data: { price: 98 } })
    server.send(server.delta('A', { price: 8 }))
    await h!.until(() => price('A')?.price === 8)
    expect(manager.getStats().invalid).toBe(0)
    expect(errors).toEqual([])
    expect(framesOf(server, 'resync')).toEqual([])
  })

  it('a __proto__ / constructor delta leaves Object.prototype clean and the rest of the frame applied', async () => {
    await ready(['A'], { throttleMs: 0 })
    const { server } = h!
    const delta = server.delta('A', { price: 5, volume: 9 })
    const raw = JSON.stringify(delta).replace(
      '"data":{',
      '"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1,',
    )
    server.sendRaw(raw)
    await h!.until(() => price('A')?.price === 5)
    const tick = price('A')!
    expect(tick.volume).toBe(9)
    expect(Object.keys(tick.data).sort()).toEqual(['price', 'volume'])
    expect(Object.prototype.hasOwnProperty.call(tick.data, '__proto__')).toBe(false)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(h!.manager.getStats().invalid).toBe(0)
  })

  it('MUST treat an invalid frame as invalid: counted, reported, dropped, the connection kept and the store as it was', async () => {
    await ready(['A'])
    const { server, manager } = h!
    const errors: StreamErrorEvent[] = []
    manager.on('error', (e) => errors.push(e))
    await h!.sleep(40)
    const before = manager.store.getState()
    server.sendRaw('{not json')
    server.sendRaw(JSON.stringify({ type: 'delta', symbol: 'A', seq: 'x', data: { price: 1 } }))
    server.sendRaw(
      JSON.stringify({ type: 'snapshot', symbol: 'A', seq: 99, data: { price: 'NaN' } }),
    )
    server.sendRaw(JSON.stringify({ symbol: 'A' }))
    await h!.until(() => manager.getStats().invalid === 4)
    await h!.sleep(40)
    const after = manager.store.getState()
    expect(after.prices).toBe(before.prices)
    expect(after.symbolErrors).toBe(before.symbolErrors)
    expect(errors.map((e) => e.kind)).toEqual([
      'invalid_frame',
      'invalid_frame',
      'invalid_frame',
      'invalid_frame',
    ])
    expect(after.connections.default!.status).toBe('open')
    expect(server.openNow).toBe(1)
  })

  it('MUST refuse a frame larger than maxMessageBytes before decoding it; the store is unchanged', async () => {
    await ready(['A'], { maxMessageBytes: 200 })
    const { server, manager } = h!
    const before = manager.store.getState().prices
    server.send(server.delta('A', { price: 3, pad: 'x'.repeat(300) }))
    await h!.until(() => manager.getStats().invalid === 1)
    await h!.sleep(40)
    expect(manager.store.getState().prices).toBe(before)
  })

  it('frames for a symbol with no subscription outstanding are ignored and not counted', async () => {
    await ready(['A'], { unsubscribeDelayMs: 0 })
    const { server, manager } = h!
    server.send(server.snapshot('NEVER', { price: 1 }))
    server.send(server.delta('NEVER', { price: 2 }))
    await h!.sleep(60)
    expect(price('NEVER')).toBeUndefined()
    expect(manager.getStats().invalid).toBe(0)
    expect(framesOf(server, 'resync')).toEqual([])
  })

  it('unknown_symbol goes to symbolErrors, is not resubscribed after reconnect, and a new want after every release clears it', async () => {
    h = await harness({
      unsubscribeDelayMs: 0,
      reconnect: { initialDelayMs: 20, maxDelayMs: 20, jitter: 0 },
    })
    const { server, manager } = h
    server.unknownSymbols.add('XYZ')
    const release = manager.subscribe(['XYZ', 'A'])
    const second = manager.subscribe(['XYZ'])
    await h.until(
      () => manager.store.getState().symbolErrors.XYZ !== undefined && price('A') !== undefined,
    )
    expect(manager.store.getState().symbolErrors.XYZ).toEqual({
      code: 'unknown_symbol',
      message: 'no such symbol',
    })
    server.dropAll()
    await h.until(() => server.sockets.length === 2 && server.sockets[1]!.received.length > 0)
    await h.sleep(30)
    expect(server.sockets[1]!.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['A'] }])
    expect(framesOf(server, 'unsubscribe')).toEqual([])
    release()
    await h.sleep(30)
    expect(manager.store.getState().symbolErrors.XYZ).toBeDefined()
    second()
    server.unknownSymbols.delete('XYZ')
    manager.subscribe(['XYZ'])
    await h.until(() => price('XYZ') !== undefined)
    expect(manager.store.getState().symbolErrors.XYZ).toBeUndefined()
  })

  it('a batch is applied in order and each message judged alone: an invalid one is counted and skipped, the rest apply', async () => {
    await ready(['A', 'B'], { throttleMs: 0 })
    const { server, manager } = h!
    server.send({
      type: 'batch',
      messages: [
        server.delta('A', { price: 1 }),
        { type: 'delta', symbol: 'B', seq: -4, data: { price: 9 } },
        server.delta('B', { price: 2 }),
        server.delta('A', { price: 3 }),
      ],
    })
    await h!.until(() => price('A')?.price === 3 && price('B')?.price === 2)
    expect(manager.getStats().invalid).toBe(1)
  })

  it('send() keeps at most maxQueue frames while not open: the newest, the others counted as dropped', async () => {
    h = await harness({ autoStart: false, maxQueue: 2 })
    for (let n = 1; n <= 5; n++) h.manager.send({ type: 'note', n })
    expect(h.manager.getStats().dropped).toBe(3)
    h.manager.start()
    await h.until(() => h!.server.received.length === 2)
    expect(h.server.received).toEqual([
      { type: 'note', n: 4 },
      { type: 'note', n: 5 },
    ])
  })

  it('application messages reach message listeners untouched', async () => {
    await ready(['A'])
    const { server, manager } = h!
    const got: unknown[] = []
    manager.on('message', (e) => got.push(e))
    server.send({ type: 'order', id: 7, side: 'buy' })
    await h!.until(() => got.length === 1)
    expect(got[0]).toEqual({
      connection: 'default',
      message: { type: 'order', id: 7, side: 'buy' },
    })
  })

  it('ts falls back to the receive time and direction follows the shown price', async () => {
    await ready(['A'], { throttleMs: 0 })
    const { server } = h!
    const delta = server.delta('A', { price: 150 })
    delete delta.ts
    const sentAt = Date.now()
    server.send(delta)
    await h!.until(() => price('A')?.price === 150)
    expect(price('A')!.ts).toBeGreaterThanOrEqual(sentAt - 1)
    expect(price('A')!.direction).toBe('up')
    server.send(server.delta('A', { price: 120 }))
    await h!.until(() => price('A')?.price === 120)
    expect(price('A')!.direction).toBe('down')
    expect(price('A')!.source).toBe('stream')
    expect(price('A')!.connection).toBe('default')
  })
})
