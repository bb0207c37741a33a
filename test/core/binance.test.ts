import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { binanceProtocol } from '../../src/core/protocols/binance'
import type { InboundEvent } from '../../src/core/protocols/types'
import {
  bookTickerPayload,
  startBinanceReplayServer,
  tickerPayload,
} from '../helpers/binanceReplayServer'
import type { BinanceReplayServer } from '../helpers/binanceReplayServer'

const WS = WebSocket

const ticker = (symbol: string, last: string, extra: Record<string, unknown> = {}) =>
  ({ ...tickerPayload(symbol, Number(last), 1_700_000_000_000), c: last, ...extra }) as Record<
    string,
    unknown
  >

describe('binanceProtocol: outbound frames', () => {
  it('writes SUBSCRIBE and UNSUBSCRIBE method frames with lowercase stream names and the id', () => {
    const p = binanceProtocol()
    expect(p.subscribe(['BTCUSDT', 'ETHUSDT'], 1)).toEqual({
      method: 'SUBSCRIBE',
      params: ['btcusdt@ticker', 'ethusdt@ticker'],
      id: 1,
    })
    expect(p.unsubscribe(['ETHUSDT'], 2)).toEqual({
      method: 'UNSUBSCRIBE',
      params: ['ethusdt@ticker'],
      id: 2,
    })
  })

  it('maps user symbols to exchange symbols both ways', () => {
    const p = binanceProtocol({
      symbols: { 'BTC-USD': 'BTCUSDT' },
      streams: ['ticker', 'bookTicker'],
    })
    expect(p.subscribe(['BTC-USD'], 1)).toEqual({
      method: 'SUBSCRIBE',
      params: ['btcusdt@ticker', 'btcusdt@bookTicker'],
      id: 1,
    })
    expect(
      p.decode({ stream: 'btcusdt@ticker', data: ticker('BTCUSDT', '45012.5') }),
    ).toMatchObject([{ type: 'snapshot', symbol: 'BTC-USD' }])
  })

  it('returns events under the name the app subscribed with, case included', () => {
    const p = binanceProtocol()
    p.subscribe(['ethusdt'], 1)
    expect(p.decode(ticker('ETHUSDT', '3000'))).toMatchObject([
      { type: 'snapshot', symbol: 'ethusdt' },
    ])
  })

  it('writes symbols with separators in the exchange form and maps events back to the app name', () => {
    const p = binanceProtocol()
    expect(p.subscribe(['ETH-USDT', 'SOL/USDT', 'btc_usdt'], 1)).toEqual({
      method: 'SUBSCRIBE',
      params: ['ethusdt@ticker', 'solusdt@ticker', 'btcusdt@ticker'],
      id: 1,
    })
    expect(p.decode(ticker('ETHUSDT', '3000'))).toMatchObject([
      { type: 'snapshot', symbol: 'ETH-USDT' },
    ])
    expect(p.decode(ticker('SOLUSDT', '150'))).toMatchObject([
      { type: 'snapshot', symbol: 'SOL/USDT' },
    ])
    expect(p.unsubscribe(['SOL/USDT'], 2)).toEqual({
      method: 'UNSUBSCRIBE',
      params: ['solusdt@ticker'],
      id: 2,
    })
  })

  it('declares the exchange limits and no auth, resync or ping frames', () => {
    const p = binanceProtocol()
    expect(p.maxFramesPerSecond).toBe(5)
    expect(p.maxSymbolsPerConnection).toBe(1024)
    expect(p.maxSymbolsPerFrame).toBe(50)
    expect(p.auth('t')).toBeNull()
    expect(p.resync(['BTCUSDT'])).toBeNull()
    expect(p.ping(1)).toBeNull()
    expect(p.subprotocols('msgpack')).toEqual([])
    const both = binanceProtocol({ streams: ['ticker', 'bookTicker'] })
    // Limits count streams, and each symbol takes two here.
    expect(both.maxSymbolsPerConnection).toBe(512)
    expect(both.maxSymbolsPerFrame).toBe(25)
  })
})

describe('binanceProtocol: inbound events', () => {
  it('maps a 24hrTicker onto a snapshot with the price fields and the event time', () => {
    const p = binanceProtocol()
    p.subscribe(['BNBBTC'], 1)
    const [event] = p.decode({
      e: '24hrTicker',
      E: 1672515782136,
      s: 'BNBBTC',
      P: '250.00',
      c: '0.0025',
      b: '0.0024',
      a: '0.0026',
      h: '0.0025',
      l: '0.0010',
      v: '10000',
    })
    expect(event).toEqual({
      type: 'snapshot',
      symbol: 'BNBBTC',
      seq: 0,
      ts: 1672515782136,
      data: {
        price: 0.0025,
        bid: 0.0024,
        ask: 0.0026,
        volume: 10000,
        change24h: 250,
        high24h: 0.0025,
        low24h: 0.001,
      },
    })
    expect(Object.getPrototypeOf((event as { data: object }).data)).toBeNull()
  })

  it('numbers events per symbol: tickers are snapshots, bookTickers deltas with seq + 1', () => {
    const p = binanceProtocol({ streams: ['ticker', 'bookTicker'] })
    p.subscribe(['BTCUSDT', 'ETHUSDT'], 1)
    const book = (symbol: string, u: number) => bookTickerPayload(symbol, 100, u)
    // Before the first ticker there is no price: a bookTicker alone is dropped.
    expect(p.decode(book('BTCUSDT', 1))).toEqual([])
    const events: InboundEvent[] = [
      ...p.decode({ stream: 'btcusdt@ticker', data: ticker('BTCUSDT', '100') }),
      ...p.decode({ stream: 'btcusdt@bookTicker', data: book('BTCUSDT', 2) }),
      ...p.decode(book('BTCUSDT', 3)),
      ...p.decode(ticker('ETHUSDT', '5')),
      ...p.decode(ticker('BTCUSDT', '101')),
    ]
    expect(events.map((e) => ('seq' in e ? `${e.type}:${e.symbol}:${e.seq}` : e.type))).toEqual([
      'snapshot:BTCUSDT:0',
      'delta:BTCUSDT:1',
      'delta:BTCUSDT:2',
      'snapshot:ETHUSDT:0',
      'snapshot:BTCUSDT:3',
    ])
    expect(events[1]).toMatchObject({ data: { bid: 99.99, ask: 100.01 } })
  })

  it('starts a symbol over with a snapshot after a resubscribe (a new socket)', () => {
    const p = binanceProtocol({ streams: ['ticker', 'bookTicker'] })
    p.subscribe(['BTCUSDT'], 1)
    p.decode(ticker('BTCUSDT', '100'))
    expect(p.decode(bookTickerPayload('BTCUSDT', 100, 5))).toMatchObject([
      { type: 'delta', seq: 1 },
    ])
    // Reconnect: the connection subscribes the wanted set again on the new socket.
    p.subscribe(['BTCUSDT'], 1)
    expect(p.decode(bookTickerPayload('BTCUSDT', 100, 9))).toEqual([])
    expect(p.decode(ticker('BTCUSDT', '102'))).toMatchObject([{ type: 'snapshot', seq: 2 }])
    // After an unsubscribe the symbol is forgotten altogether.
    p.unsubscribe(['BTCUSDT'], 2)
    p.subscribe(['BTCUSDT'], 3)
    expect(p.decode(ticker('BTCUSDT', '103'))).toMatchObject([{ type: 'snapshot', seq: 0 }])
  })

  it('prices a bookTicker-only subscription at the mid, every event a snapshot', () => {
    const p = binanceProtocol({ streams: ['bookTicker'] })
    expect(p.subscribe(['BNBUSDT'], 1)).toMatchObject({ params: ['bnbusdt@bookTicker'] })
    const frame = {
      u: 400900217,
      s: 'BNBUSDT',
      b: '25.35190000',
      B: '31.21',
      a: '25.36520000',
      A: '40.66',
    }
    expect(p.decode(frame)).toEqual([
      {
        type: 'snapshot',
        symbol: 'BNBUSDT',
        seq: 0,
        data: { bid: 25.3519, ask: 25.3652, price: (25.3519 + 25.3652) / 2 },
      },
    ])
    expect(p.decode({ stream: 'bnbusdt@bookTicker', data: frame })).toMatchObject([
      { type: 'snapshot', seq: 1 },
    ])
  })

  it('turns {"result":null,"id"} into an ack and error objects into errors naming the frame symbols', () => {
    const p = binanceProtocol()
    p.subscribe(['BTCUSDT', 'BAD'], 7)
    expect(p.decode({ result: null, id: 3 })).toEqual([{ type: 'ack', id: 3 }])
    expect(p.decode({ code: 2, msg: 'Invalid request: bad stream', id: 7 })).toEqual([
      {
        type: 'error',
        code: 'bad_request',
        message: 'Invalid request: bad stream',
        symbols: ['BTCUSDT', 'BAD'],
        id: 7,
      },
    ])
    expect(p.decode({ error: { code: 3, msg: 'Invalid JSON' }, id: null })).toEqual([
      { type: 'error', code: 'bad_request', message: 'Invalid JSON' },
    ])
    expect(p.decode({ error: { code: 1008, msg: 'Too many requests' }, id: 9 })).toMatchObject([
      { type: 'error', code: 'binance_1008', id: 9 },
    ])
    // A query's answer (LIST_SUBSCRIPTIONS) goes to message listeners.
    expect(p.decode({ result: ['btcusdt@ticker'], id: 4 })).toEqual([
      { type: 'message', message: { result: ['btcusdt@ticker'], id: 4 } },
    ])
  })

  it('hands other streams and events to message listeners, untouched', () => {
    const p = binanceProtocol()
    const trade = { e: 'trade', E: 1, s: 'BNBBTC', p: '0.001' }
    expect(p.decode(trade)).toEqual([{ type: 'message', message: trade }])
    expect(p.decode({ stream: 'bnbbtc@trade', data: trade })).toEqual([
      { type: 'message', message: trade },
    ])
    expect(p.decode({ e: 'serverShutdown', E: 1 })).toMatchObject([{ type: 'message' }])
    expect(p.decode('hello')).toEqual([{ type: 'message', message: 'hello' }])
  })

  it('decodes array payloads event by event', () => {
    const p = binanceProtocol()
    expect(p.decode([ticker('AUSDT', '1'), ticker('BUSDT', '2')]).map((e) => e.type)).toEqual([
      'snapshot',
      'snapshot',
    ])
  })

  it('marks malformed ticker events invalid and never throws', () => {
    const p = binanceProtocol()
    expect(p.decode({ e: '24hrTicker', s: 'BTCUSDT', c: 'abc' })).toMatchObject([
      { type: 'invalid' },
    ])
    expect(p.decode({ e: '24hrTicker', s: 'BTCUSDT' })).toMatchObject([{ type: 'invalid' }])
    expect(p.decode({ e: '24hrTicker', s: 'BTCUSDT', c: '1', b: 'x' })).toMatchObject([
      { type: 'invalid' },
    ])
    expect(p.decode({ e: '24hrTicker', s: 'BTCUSDT', c: '1', E: 'now' })).toMatchObject([
      { type: 'invalid' },
    ])
    expect(p.decode({ e: '24hrTicker', c: '1' })).toMatchObject([{ type: 'invalid' }])
    p.subscribe(['__proto__'], 1)
    expect(p.decode({ e: '24hrTicker', s: '__proto__', c: '1' })).toMatchObject([
      { type: 'invalid' },
    ])
    expect(p.decode({ u: 1, s: 'BTCUSDT', b: 'x', a: '1' })).toMatchObject([{ type: 'invalid' }])
    const hostile = {
      get e(): string {
        throw new Error('boom')
      },
    }
    expect(p.decode(hostile)).toMatchObject([{ type: 'invalid', code: 'bad_frame' }])
    expect(p.decode(null)).toEqual([{ type: 'message', message: null }])
  })
})

describe('binance replay server', () => {
  let server: BinanceReplayServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('answers SUBSCRIBE like the exchange and replays the subscribed streams', async () => {
    server = await startBinanceReplayServer()
    const ws = new WebSocket(`${server.url}/stream`)
    const got: unknown[] = []
    ws.on('message', (data: Buffer) => got.push(JSON.parse(data.toString())))
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@ticker'], id: 1 }))
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['BTC-USD@ticker'], id: 2 }))
    await vi.waitFor(() => expect(got).toHaveLength(2))
    expect(got[0]).toEqual({ result: null, id: 1 })
    expect(got[1]).toMatchObject({ error: { code: 2 }, id: 2 })
    server.replay()
    await vi.waitFor(() => expect(got).toHaveLength(3))
    expect(got[2]).toMatchObject({
      stream: 'btcusdt@ticker',
      data: { e: '24hrTicker', s: 'BTCUSDT' },
    })
    ws.close()
  })

  it('disconnects a client that sends more than 5 frames in a second', async () => {
    server = await startBinanceReplayServer()
    const ws = new WebSocket(`${server.url}/ws`)
    await new Promise((resolve) => ws.once('open', resolve))
    const closed = new Promise<number>((resolve) =>
      ws.once('close', (code: number) => resolve(code)),
    )
    for (let i = 1; i <= 6; i++)
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: [`s${i}usdt@ticker`], id: i }))
    expect(await closed).toBe(1008)
    expect(server.rateViolations).toBe(1)
  })
})

describe('binanceProtocol end to end (manager against the replay server)', () => {
  let server: BinanceReplayServer
  let manager: StreamManager | undefined

  afterEach(async () => {
    manager?.destroy()
    manager = undefined
    await server.close()
  })

  const until = async (predicate: () => boolean, timeoutMs = 5_000): Promise<void> => {
    await vi.waitFor(() => expect(predicate()).toBe(true), { timeout: timeoutMs, interval: 10 })
  }

  it('subscribes, maps tickers and book tickers into the store, and survives a reconnect', async () => {
    server = await startBinanceReplayServer()
    manager = createStreamManager({
      url: `${server.url}/stream`,
      WebSocket: WS,
      protocol: binanceProtocol({
        symbols: { 'BTC-USD': 'BTCUSDT' },
        streams: ['ticker', 'bookTicker'],
      }),
      throttleMs: 0,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    })
    const m = manager
    const release = m.subscribe(['BTC-USD', 'ETHUSDT'])
    await until(() => server.subscribed().size === 4)
    expect([...server.subscribed()].sort()).toEqual([
      'btcusdt@bookTicker',
      'btcusdt@ticker',
      'ethusdt@bookTicker',
      'ethusdt@ticker',
    ])
    expect(server.frames[0]?.data).toEqual({
      method: 'SUBSCRIBE',
      params: ['btcusdt@ticker', 'btcusdt@bookTicker', 'ethusdt@ticker', 'ethusdt@bookTicker'],
      id: 1,
    })
    server.replay(['btcusdt@ticker', 'ethusdt@ticker'])
    await until(
      () =>
        m.store.getState().prices['BTC-USD'] !== undefined &&
        m.store.getState().prices['ETHUSDT'] !== undefined,
    )
    const first = m.store.getState().prices['BTC-USD']
    expect(first).toMatchObject({
      price: 100.5,
      bid: 100.49,
      ask: 100.51,
      change24h: 1,
      source: 'stream',
    })

    server.replay(['btcusdt@bookTicker'])
    await until(() => m.store.getState().prices['BTC-USD']?.bid === 100.99)
    expect(m.store.getState().prices['BTC-USD']).toMatchObject({ price: 100.5, ask: 101.01 })

    server.dropAll()
    await until(() => server.connections === 2 && server.subscribed().size === 4)
    server.replay(['btcusdt@ticker'])
    await until(() => m.store.getState().prices['BTC-USD']?.price === 101.5)
    expect(m.getStats().invalid).toBe(0)

    release()
    await until(() => server.subscribed().size === 0, 3_000)
    expect(server.frames.at(-1)?.data).toMatchObject({ method: 'UNSUBSCRIBE' })
  })

  it('subscribes ETH-USDT and SOL/USDT without a mapping: the exchange accepts them and prices land under those names', async () => {
    server = await startBinanceReplayServer()
    manager = createStreamManager({
      url: `${server.url}/stream`,
      WebSocket: WS,
      protocol: binanceProtocol(),
      throttleMs: 0,
    })
    const m = manager
    m.subscribe(['ETH-USDT', 'SOL/USDT'])
    await until(() => server.subscribed().size === 2)
    expect([...server.subscribed()].sort()).toEqual(['ethusdt@ticker', 'solusdt@ticker'])
    server.replay(['ethusdt@ticker', 'solusdt@ticker'])
    await until(
      () =>
        m.store.getState().prices['ETH-USDT'] !== undefined &&
        m.store.getState().prices['SOL/USDT'] !== undefined,
    )
    expect(m.store.getState().symbolErrors).toEqual({})
    expect(m.getStats().invalid).toBe(0)
  })

  // Measured where the exchange measures it, on arrival. A pacer that waits exactly 1000 ms
  // after the first frame of a burst lets the next frame arrive a few ms inside the same
  // second (the burst's first frame reaches the server later than it was written), and the
  // exchange disconnects: the outbox needs a margin over the one-second window.
  it('paces a 300-stream subscription: no second with more than 5 frames, all 300 streams subscribed', async () => {
    server = await startBinanceReplayServer()
    manager = createStreamManager({
      url: `${server.url}/ws`,
      WebSocket: WS,
      protocol: binanceProtocol(),
    })
    const symbols = Array.from({ length: 300 }, (_, i) => `S${i}USDT`)
    manager.subscribe(symbols)
    await until(() => server.subscribed().size === 300, 8_000)
    const frames = server.frames
    // 50 streams per frame: six frames, so the sixth must wait for the next second.
    expect(frames).toHaveLength(6)
    for (const frame of frames) {
      const inWindow = frames.filter((f) => f.at >= frame.at && f.at < frame.at + 1000)
      expect(inWindow.length).toBeLessThanOrEqual(5)
    }
    expect(frames.map((f) => (f.data as { id: number }).id)).toEqual([1, 2, 3, 4, 5, 6])
    expect(server.rateViolations).toBe(0)
    expect(server.connections).toBe(1)
    server.replay()
    await until(() => Object.keys(manager?.store.getState().prices ?? {}).length === 300)
  }, 15_000)

  it('never asks one connection for more than 1024 streams: the symbols beyond show in symbolErrors as limit_exceeded', async () => {
    server = await startBinanceReplayServer()
    manager = createStreamManager({
      url: `${server.url}/ws`,
      WebSocket: WS,
      // 100 streams per frame: 11 frames, about 2 s of pacing.
      protocol: binanceProtocol({ maxStreamsPerFrame: 100 }),
    })
    const m = manager
    const symbols = Array.from({ length: 1030 }, (_, i) => `S${i}USDT`)
    m.subscribe(symbols)
    await until(() => server.subscribed().size === 1024 && server.frames.length === 11, 10_000)
    await until(() => Object.keys(m.store.getState().symbolErrors).length === 6)
    const errors = m.store.getState().symbolErrors
    expect(Object.keys(errors).sort()).toEqual(symbols.slice(1024).sort())
    expect(errors['S1029USDT']).toMatchObject({ code: 'limit_exceeded' })
    expect(errors['S1029USDT']?.message).toMatch(/at most 1024 symbols per connection/)
    // Nothing for the exchange to refuse: every frame acknowledged, no error, one connection.
    const sent = server.frames.flatMap((f) => (f.data as { params: string[] }).params)
    expect(sent).toHaveLength(1024)
    expect(sent).not.toContain('s1024usdt@ticker')
    expect(m.getStats().errors).toBe(0)
    expect(server.rateViolations).toBe(0)
    expect(server.connections).toBe(1)
  }, 15_000)
})
