import { describe, expect, test } from 'vitest'
import { tickwireProtocol } from '../../src/core/protocols/tickwire'
import type { InboundEvent } from '../../src/core/protocols/types'

const p = tickwireProtocol()
const one = (message: unknown): InboundEvent => {
  const events = p.decode(message)
  expect(events).toHaveLength(1)
  return events[0] as InboundEvent
}
const codeOf = (message: unknown): string | undefined => {
  const e = one(message)
  return e.type === 'invalid' ? e.code : undefined
}
const snap = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'snapshot',
  symbol: 'BTC-USD',
  seq: 41,
  ts: 1732230000000,
  data: { price: 45012.5, bid: 45012, ask: 45013 },
  ...over,
})

describe('tickwireProtocol: outbound frames (PROTOCOL.md section 2)', () => {
  test('offers tickwire.v1.json, or msgpack first then json', () => {
    expect(p.subprotocols('json')).toEqual(['tickwire.v1.json'])
    expect(p.subprotocols('msgpack')).toEqual(['tickwire.v1.msgpack', 'tickwire.v1.json'])
    expect(p.maxSymbolsPerFrame).toBe(100)
  })

  test('frames have the documented shapes', () => {
    expect(p.auth('t')).toEqual({ type: 'auth', token: 't' })
    expect(p.subscribe(['A'], 1)).toEqual({ type: 'subscribe', id: 1, symbols: ['A'] })
    expect(p.unsubscribe(['A'], 2)).toEqual({ type: 'unsubscribe', id: 2, symbols: ['A'] })
    expect(p.resync(['A'])).toEqual({ type: 'resync', symbols: ['A'] })
    expect(p.ping(1732230000000)).toEqual({ type: 'ping', ts: 1732230000000 })
  })
})

describe('tickwireProtocol: validation (PROTOCOL.md section 1)', () => {
  test('a valid snapshot and delta pass with their fields; ts is optional', () => {
    expect(one(snap())).toEqual({
      type: 'snapshot',
      symbol: 'BTC-USD',
      seq: 41,
      ts: 1732230000000,
      data: { price: 45012.5, bid: 45012, ask: 45013 },
    })
    expect(
      one({ type: 'delta', symbol: 'BTC-USD', seq: 42, data: { price: 1, extra: 'kept' } }),
    ).toEqual({
      type: 'delta',
      symbol: 'BTC-USD',
      seq: 42,
      data: { price: 1, extra: 'kept' },
    })
  })

  test('not an object with a string type is invalid', () => {
    expect(codeOf(null)).toBe('not_object')
    expect(codeOf([1, 2])).toBe('not_object')
    expect(codeOf('snapshot')).toBe('not_object')
    expect(codeOf({ type: 7 })).toBe('bad_type')
    expect(codeOf({})).toBe('bad_type')
  })

  test('symbol must be a non-empty string and never __proto__, constructor or prototype', () => {
    for (const symbol of ['', 5, null, undefined, '__proto__', 'constructor', 'prototype']) {
      expect(codeOf(snap({ symbol }))).toBe('bad_symbol')
    }
    // A __proto__ key created by JSON.parse is an own key, and still refused as a symbol.
    expect(
      codeOf(JSON.parse('{"type":"delta","symbol":"__proto__","seq":1,"data":{"price":1}}')),
    ).toBe('bad_symbol')
  })

  test('seq must be a non-negative safe integer', () => {
    for (const seq of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '3', NaN, undefined])
      expect(codeOf(snap({ seq }))).toBe('bad_seq')
    expect(one(snap({ seq: 0 })).type).toBe('snapshot')
  })

  test('ts present but not a finite number is invalid', () => {
    for (const ts of [Infinity, NaN, '1', null]) expect(codeOf(snap({ ts }))).toBe('bad_ts')
  })

  test('data must be a plain object', () => {
    for (const data of [null, [1], 'x', 3, new Date(), new Map()])
      expect(codeOf(snap({ data }))).toBe('bad_data')
    expect(
      one(snap({ data: Object.assign(Object.create(null) as object, { price: 1 }) })).type,
    ).toBe('snapshot')
  })

  test('a listed price field that is not a finite number is invalid', () => {
    for (const field of ['price', 'bid', 'ask', 'volume', 'change24h', 'high24h', 'low24h']) {
      expect(codeOf(snap({ data: { price: 1, [field]: 'nope' } }))).toBe('bad_price')
      expect(codeOf({ type: 'delta', symbol: 'X', seq: 1, data: { [field]: Infinity } })).toBe(
        'bad_price',
      )
    }
    // Unlisted keys are data and may hold anything.
    expect(one(snap({ data: { price: 1, note: 'hi', nested: { a: 1 } } })).type).toBe('snapshot')
  })

  test('a snapshot without data.price is invalid; a delta without it is fine', () => {
    expect(codeOf(snap({ data: { bid: 1 } }))).toBe('missing_price')
    expect(one({ type: 'delta', symbol: 'X', seq: 1, data: { bid: 1 } }).type).toBe('delta')
  })

  test('a frame of an unknown type is not invalid: it is an application message, untouched', () => {
    const message = { type: 'order', id: 'o-1', fill: 3 }
    const e = one(message)
    expect(e).toEqual({ type: 'message', message })
    expect(e.type === 'message' && e.message).toBe(message)
  })

  test('pong, welcome and error decode with their fields', () => {
    expect(one({ type: 'pong', ts: 5 })).toEqual({ type: 'pong', ts: 5 })
    expect(codeOf({ type: 'pong' })).toBe('bad_ts')
    expect(one({ type: 'welcome', serverTime: 1, heartbeatMs: 10_000 })).toEqual({
      type: 'welcome',
      serverTime: 1,
      heartbeatMs: 10_000,
    })
    expect(one({ type: 'welcome' })).toEqual({ type: 'welcome' })
    expect(codeOf({ type: 'welcome', heartbeatMs: -1 })).toBe('bad_welcome')
    expect(one({ type: 'error', code: 'rate_limited', message: 'slow', retryAfter: 0.5 })).toEqual({
      type: 'error',
      code: 'rate_limited',
      message: 'slow',
      retryAfter: 0.5,
    })
    expect(
      one({
        type: 'error',
        code: 'unknown_symbol',
        message: 'no',
        symbols: ['XYZ', '__proto__'],
        id: 3,
      }),
    ).toEqual({
      type: 'error',
      code: 'unknown_symbol',
      message: 'no',
      symbols: ['XYZ'],
      id: 3,
    })
    expect(codeOf({ type: 'error', message: 'no code' })).toBe('bad_error')
  })
})

describe('tickwireProtocol: batch (PROTOCOL.md 3.4)', () => {
  test("a batch's messages are judged one by one: the invalid one is reported, the rest pass in order", () => {
    const events = p.decode({
      type: 'batch',
      messages: [
        snap({ symbol: 'A' }),
        snap({ symbol: '' }),
        { type: 'delta', symbol: 'A', seq: 42, data: { price: 2 } },
        { type: 'news' },
      ],
    })
    expect(events.map((e) => e.type)).toEqual(['snapshot', 'invalid', 'delta', 'message'])
  })

  test('a batch inside a batch is an invalid message', () => {
    const events = p.decode({
      type: 'batch',
      messages: [{ type: 'batch', messages: [snap()] }, snap()],
    })
    expect(events.map((e) => (e.type === 'invalid' ? e.code : e.type))).toEqual([
      'nested_batch',
      'snapshot',
    ])
  })

  test('a batch without a messages array is invalid', () => {
    expect(codeOf({ type: 'batch', messages: 'x' })).toBe('bad_batch')
  })

  test('decode never throws, even on a hostile getter', () => {
    const hostile = { type: 'snapshot', symbol: 'X', seq: 1 }
    Object.defineProperty(hostile, 'data', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    expect(codeOf(hostile)).toBe('bad_message')
  })
})

describe('tickwireProtocol: decodeInto, the fast path the connection uses', () => {
  /** What decodeInto hands a sink, as event objects, to compare with decode. */
  const viaSink = (message: unknown): InboundEvent[] => {
    const out: InboundEvent[] = []
    p.decodeInto?.(message, {
      tick: (type, symbol, seq, ts, data) =>
        out.push(ts === undefined ? { type, symbol, seq, data } : { type, symbol, seq, ts, data }),
      event: (event) => out.push(event),
    })
    return out
  }

  test('gives exactly the events decode gives, in order, valid and invalid alike', () => {
    expect(p.decodeInto).toBeTypeOf('function')
    const hostile = { type: 'delta', symbol: 'X', seq: 1 }
    Object.defineProperty(hostile, 'data', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const cases: unknown[] = [
      snap(),
      { type: 'delta', symbol: 'A', seq: 2, data: { price: 1 } },
      snap({ symbol: '__proto__' }),
      snap({ data: { price: 1, bid: NaN } }),
      { type: 'pong', ts: 3 },
      { type: 'news', x: 1 },
      null,
      hostile,
      { type: 'batch', messages: 'x' },
      { type: 'batch', messages: null },
      { type: 'batch' },
      {
        type: 'batch',
        messages: [
          snap({ symbol: 'A' }),
          hostile,
          { type: 'batch', messages: [] },
          snap({ seq: -1 }),
          { type: 'delta', symbol: 'A', seq: 42, data: { bid: 2 } },
        ],
      },
    ]
    for (const message of cases) expect(viaSink(message)).toEqual(p.decode(message))
  })

  test('a price field held as an own key with the value undefined is still invalid', () => {
    // MessagePack can carry undefined; skipping hasOwnProperty for absent fields must not let it through.
    expect(codeOf({ type: 'delta', symbol: 'X', seq: 1, data: { price: 1, bid: undefined } })).toBe(
      'bad_price',
    )
    expect(codeOf(snap({ data: { price: undefined } }))).toBe('bad_price')
  })

  test('fields inherited from a polluted Object.prototype are not read as sent', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.ts = 'not a number'
    proto.bid = 'nope'
    proto.symbol = 'POLLUTED'
    try {
      // ts, bid and symbol are inherited, not sent: the delta is valid and its ts absent...
      expect(one({ type: 'delta', symbol: 'X', seq: 1, data: { price: 1 } })).toEqual({
        type: 'delta',
        symbol: 'X',
        seq: 1,
        data: { price: 1 },
      })
      // ...and a message without its own symbol is still refused.
      expect(codeOf({ type: 'delta', seq: 1, data: { price: 1 } })).toBe('bad_symbol')
    } finally {
      delete proto.ts
      delete proto.bid
      delete proto.symbol
    }
  })

  test('an exception thrown by the sink is not taken for a bad frame', () => {
    const sink = {
      tick: () => {
        throw new Error('sink bug')
      },
      event: () => undefined,
    }
    expect(() => p.decodeInto?.(snap(), sink)).toThrow('sink bug')
  })
})
