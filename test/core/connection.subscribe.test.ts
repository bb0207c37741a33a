import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { Connection } from '../../src/core/connection/types'
import { tickwireProtocol } from '../../src/core/protocols/tickwire'
import { ofType, openConnection, type Recorder } from '../helpers/connectionHarness'
import { createTestServer, type TestServer } from '../helpers/testServer'

const FAKE = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const

let server: TestServer
let conn: Connection | undefined
let rec: Recorder

beforeEach(async () => {
  vi.useFakeTimers({ toFake: [...FAKE] })
  server = await createTestServer()
})
afterEach(async () => {
  conn?.destroy()
  conn = undefined
  vi.useRealTimers()
  await server.close()
})

const open = (
  config: Parameters<typeof openConnection>[1] = {},
  options: Parameters<typeof openConnection>[2] = {},
): void => {
  const o = openConnection(server.url, config, options)
  conn = o.conn
  rec = o.rec
}
const c = (): Connection => conn as Connection
const untilOpen = () => server.waitFor(() => c().getInfo().status === 'open')
const symbols = (n: number, prefix = 'S'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`)
const frames = (socket = server.last) => socket?.received ?? []

describe('subscriptions (PROTOCOL.md section 2)', () => {
  test('250 symbols become 3 subscribe frames of at most 100, ids 1, 2, 3', async () => {
    open()
    c().setWanted(symbols(250))
    await untilOpen()
    await server.waitFor(() => frames().length === 3)
    const subs = ofType(frames(), 'subscribe')
    expect(subs.map((f) => (f.symbols as string[]).length)).toEqual([100, 100, 50])
    expect(subs.map((f) => f.id)).toEqual([1, 2, 3])
    expect(subs.flatMap((f) => f.symbols as string[]).sort()).toEqual(symbols(250).sort())
  })

  test('a client MUST split unsubscribe and resync of more than 100 symbols into frames of at most 100', async () => {
    open()
    c().setWanted(symbols(150))
    await untilOpen()
    c().resync(symbols(150))
    c().setWanted([])
    await server.waitFor(() => frames().length === 6)
    expect(
      frames().map((f) => [
        (f as { type: string }).type,
        (f as { symbols: string[] }).symbols.length,
      ]),
    ).toEqual([
      ['subscribe', 100],
      ['subscribe', 50],
      ['resync', 100],
      ['resync', 50],
      ['unsubscribe', 100],
      ['unsubscribe', 50],
    ])
  })

  test('subscribe/unsubscribe id starts at 1 on each new socket and grows by one per frame', async () => {
    open()
    c().setWanted(['A'])
    await untilOpen()
    c().setWanted(['A', 'B'])
    c().setWanted(['B'])
    await server.waitFor(() => frames().length === 3)
    expect(frames().map((f) => (f as { id: number }).id)).toEqual([1, 2, 3])
    server.dropAll()
    await server.waitFor(() => c().getInfo().status === 'reconnecting')
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => server.opened === 2 && frames().length === 1)
    expect(frames()).toEqual([{ type: 'subscribe', id: 1, symbols: ['B'] }])
  })

  test('a client MUST hold at most one server-side subscription per symbol per connection', async () => {
    open()
    c().setWanted(['A', 'A', 'B'])
    await untilOpen()
    c().setWanted(['B', 'A'])
    c().setWanted(['A', 'B', 'B'])
    c().send({ type: 'marker' })
    await server.waitFor(() => frames().length === 2)
    expect(frames()).toEqual([
      { type: 'subscribe', id: 1, symbols: ['A', 'B'] },
      { type: 'marker' },
    ])
  })

  test('setWanted while open sends only the difference', async () => {
    open()
    c().setWanted(['A', 'B'])
    await untilOpen()
    c().setWanted(['B', 'C'])
    await server.waitFor(() => frames().length === 3)
    expect(frames().slice(1)).toEqual([
      { type: 'unsubscribe', id: 2, symbols: ['A'] },
      { type: 'subscribe', id: 3, symbols: ['C'] },
    ])
  })

  test('after every (re)open: auth first, then subscribe for every wanted symbol, then the queued send() frames in order', async () => {
    open({ getToken: async () => 'tok' })
    c().setWanted(['A', 'B'])
    c().send({ type: 'order', n: 1 })
    c().send({ type: 'order', n: 2 })
    await untilOpen()
    await server.waitFor(() => frames().length === 4)
    expect(frames()).toEqual([
      { type: 'auth', token: 'tok' },
      { type: 'subscribe', id: 1, symbols: ['A', 'B'] },
      { type: 'order', n: 1 },
      { type: 'order', n: 2 },
    ])
    // And again on the next socket, with what was queued while it was down.
    server.dropAll()
    await server.waitFor(() => c().getInfo().status === 'reconnecting')
    c().send({ type: 'order', n: 3 })
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => server.opened === 2 && frames().length === 3)
    expect(frames()).toEqual([
      { type: 'auth', token: 'tok' },
      { type: 'subscribe', id: 1, symbols: ['A', 'B'] },
      { type: 'order', n: 3 },
    ])
  })

  test('nothing is sent before auth, even when the token provider is slow', async () => {
    let release: (token: string) => void = () => undefined
    open({ getToken: () => new Promise<string>((resolve) => (release = resolve)) })
    c().setWanted(['A'])
    c().send({ type: 'early' })
    await new Promise((r) => setImmediate(r))
    expect(server.upgrades).toBe(0)
    release('late-token')
    await untilOpen()
    await server.waitFor(() => frames().length === 3)
    expect((frames()[0] as { type: string }).type).toBe('auth')
  })

  test('symbols that came and went while the socket was down send nothing on reopen', async () => {
    open()
    c().setWanted(['A'])
    await untilOpen()
    await server.waitFor(() => frames().length === 1)
    server.dropAll()
    await server.waitFor(() => c().getInfo().status === 'reconnecting')
    c().setWanted(['A', 'GONE'])
    c().setWanted(['A'])
    c().setWanted(['A', 'B'])
    c().setWanted(['B'])
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => server.opened === 2 && frames().length === 1)
    await new Promise((r) => setImmediate(r))
    expect(frames()).toEqual([{ type: 'subscribe', id: 1, symbols: ['B'] }])
  })

  test('a server restart ends with exactly the wanted set re-subscribed', async () => {
    open()
    c().setWanted(['A', 'B', 'C'])
    await untilOpen()
    const port = server.port
    await server.close()
    await server.waitFor(() => c().getInfo().status === 'reconnecting')
    c().setWanted(['B', 'C', 'D'])
    server = await createTestServer({ port })
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => c().getInfo().status === 'open' && server.received.length === 1)
    expect(server.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['B', 'C', 'D'] }])
    // The restarted server's snapshots (seq from 0) are handed on.
    await server.waitFor(() => rec.data.length >= 3)
    expect(rec.data.slice(-3).map((d) => d.type === 'snapshot' && [d.symbol, d.seq])).toEqual([
      ['B', 0],
      ['C', 0],
      ['D', 0],
    ])
  })

  test('send() while not open: at most maxQueue frames kept, the oldest dropped and counted, the rest flushed in order', async () => {
    server.refuse('reject', 1)
    open({ maxQueue: 3 })
    await server.waitFor(() => c().getInfo().status === 'reconnecting')
    for (let n = 1; n <= 5; n++) c().send({ type: 'order', n })
    expect(c().getInfo().stats.dropped).toBe(2)
    vi.advanceTimersByTime(1000)
    await untilOpen()
    await server.waitFor(() => frames().length === 3)
    expect(frames()).toEqual([3, 4, 5].map((n) => ({ type: 'order', n })))
    expect(c().getInfo().stats.messagesOut).toBe(3)
  })

  test('unknown_symbol: a symbol_error event, and the symbol is forgotten as subscribed on this socket', async () => {
    server.unknownSymbols.add('XYZ')
    open()
    c().setWanted(['A', 'XYZ'])
    await untilOpen()
    await server.waitFor(() => rec.data.some((d) => d.type === 'symbol_error'))
    expect(rec.data.find((d) => d.type === 'symbol_error')).toEqual({
      type: 'symbol_error',
      code: 'unknown_symbol',
      message: 'no such symbol',
      symbols: ['XYZ'],
    })
    // Released: no unsubscribe for a symbol the server never took. Wanted again: subscribed afresh.
    c().setWanted(['A'])
    c().setWanted(['A', 'XYZ'])
    await server.waitFor(() => frames().length === 2)
    expect(frames()[1]).toEqual({ type: 'subscribe', id: 2, symbols: ['XYZ'] })
  })

  test('symbols beyond maxSymbolsPerConnection are not sent and are reported as a limit_exceeded symbol_error', async () => {
    open({ protocol: { ...tickwireProtocol(), maxSymbolsPerConnection: 3 } })
    const limitErrors = () => rec.data.filter((d) => d.type === 'symbol_error')
    c().setWanted(['A', 'B', 'C', 'D', 'E'])
    await untilOpen()
    await server.waitFor(() => frames().length === 1 && limitErrors().length === 1)
    expect(frames()).toEqual([{ type: 'subscribe', id: 1, symbols: ['A', 'B', 'C'] }])
    expect(limitErrors()[0]).toMatchObject({
      type: 'symbol_error',
      code: 'limit_exceeded',
      symbols: ['D', 'E'],
    })
    expect((limitErrors()[0] as { message: string }).message).toMatch(
      /at most 3 symbols per connection/,
    )
    // A new want never pushes out a symbol that streams, wherever it comes in the list.
    c().setWanted(['Z', 'A', 'B', 'C'])
    await server.waitFor(() => limitErrors().length === 2)
    expect(limitErrors()[1]).toMatchObject({ code: 'limit_exceeded', symbols: ['Z'] })
    // Room made: a symbol over the limit before is subscribed now.
    c().setWanted(['A', 'Z'])
    await server.waitFor(() => frames().length === 3)
    expect(frames().slice(1)).toEqual([
      { type: 'unsubscribe', id: 2, symbols: ['B', 'C'] },
      { type: 'subscribe', id: 3, symbols: ['Z'] },
    ])
    expect(limitErrors()).toHaveLength(2)
  })

  test('resync while not open sends nothing (the reopen sends snapshots anyway)', async () => {
    server.refuse('reject', 1)
    open()
    c().setWanted(['A'])
    await server.waitFor(() => c().getInfo().status === 'reconnecting')
    c().resync(['A'])
    vi.advanceTimersByTime(1000)
    await untilOpen()
    await server.waitFor(() => frames().length === 1)
    await new Promise((r) => setImmediate(r))
    expect(ofType(frames(), 'resync')).toEqual([])
  })
})
