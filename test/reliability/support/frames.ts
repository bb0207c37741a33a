/**
 * fast-check arbitraries for hostile inbound frames: valid messages, the same messages mutated
 * (wrong types, NaN and Infinity, huge and negative seq, missing fields, prototype keys at every
 * level), batches, deep nesting, oversize frames and garbage text or bytes. Each frame is
 * encoded as the wire would carry it, so NaN and Infinity reach the client intact only in
 * MessagePack (JSON has no such tokens: written as text they make the frame bad JSON).
 */
import fc from 'fast-check'
import { pack } from 'msgpackr'
import { KNOWN_TYPES } from './specOracle'

/** Symbols the fuzzer never names: their store entries must survive every case untouched. */
export const GUARDS = ['GUARD-A', 'GUARD-B'] as const
/** Symbols the fuzz client subscribes, so valid frames for them really reach the store. */
export const TARGETS = ['TARGET', 'toString', 'hasOwnProperty'] as const
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const

/** A frame as the client receives it. */
export type WireFrame = string | Uint8Array

const symbolArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<string>(...TARGETS, 'UNSUBSCRIBED', ...PROTOTYPE_KEYS, ''),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 12 })
      .filter((s) => !(GUARDS as readonly string[]).includes(s)),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.constant(null),
      fc.array(fc.constant('TARGET'), { maxLength: 2 }),
    ),
  },
)

/**
 * Any small JSON-or-MessagePack value. Cheaper than `fc.anything()`, which dominated the run
 * time of ten thousand cases on this machine without reaching more code.
 */
const primitiveArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, NaN, Infinity, -Infinity, '', '__proto__'),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 6 }),
)
const smallAnything: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: primitiveArb },
  { weight: 1, arbitrary: fc.array(primitiveArb, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.string({ maxLength: 4 }), primitiveArb, { maxKeys: 3 }),
  },
)

/** Numbers and non-numbers that a price or seq field must refuse or survive. */
const wrongValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    NaN,
    Infinity,
    -Infinity,
    -0,
    null,
    true,
    '',
    '1',
    [],
    {},
    2 ** 53,
    -(2 ** 53),
    1e308,
    -1,
    1.5,
  ),
  fc.double(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.string({ maxLength: 8 }),
  smallAnything,
)

const seqArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 50 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      2 ** 64,
      -1,
      -(2 ** 60),
    ),
  },
  { weight: 1, arbitrary: wrongValueArb },
)

const numberArb = fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: wrongValueArb },
)

const dataArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      price: numberArb,
      bid: numberArb,
      ask: numberArb,
      volume: numberArb,
      change24h: numberArb,
      extra: smallAnything,
    },
    { requiredKeys: [] },
  )
  .map((d) => ({ ...d }))

/** Copies `o` with `key` as an own, enumerable data property, as JSON.parse would create it. */
function withOwnKey(
  o: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...o }
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
  return copy
}

const pollutionArb = fc.constantFrom<unknown>(
  { polluted: 'yes', price: 666 },
  { toString: 'hijacked' },
  { prototype: { polluted: 'deep' } },
  'string',
  null,
)

/** A snapshot or delta, possibly mutated: fields dropped, retyped, or prototype keys added at any level. */
const tickArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    type: fc.constantFrom('snapshot', 'delta'),
    symbol: symbolArb,
    seq: seqArb,
    ts: fc.option(
      fc.oneof({ weight: 4, arbitrary: fc.nat() }, { weight: 1, arbitrary: wrongValueArb }),
      { nil: undefined },
    ),
    data: fc.oneof({ weight: 8, arbitrary: dataArb }, { weight: 1, arbitrary: wrongValueArb }),
    drop: fc.subarray(['symbol', 'seq', 'ts', 'data', 'type']),
    protoAt: fc.subarray(['message', 'data', 'nested']),
    protoKey: fc.constantFrom(...PROTOTYPE_KEYS),
    protoValue: pollutionArb,
  })
  .map(({ drop, protoAt, protoKey, protoValue, ...fields }) => {
    let m: Record<string, unknown> = { ...fields }
    if (m.ts === undefined) delete m.ts
    for (const key of drop) delete m[key]
    const data = m.data
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      let d = data as Record<string, unknown>
      if (protoAt.includes('nested'))
        d = { ...d, nested: withOwnKey({ a: 1 }, protoKey, protoValue) }
      if (protoAt.includes('data')) d = withOwnKey(d, protoKey, protoValue)
      m.data = d
    }
    if (protoAt.includes('message')) m = withOwnKey(m, protoKey, protoValue)
    return m
  })

/** An application message: a type the protocol does not know, handed on untouched. */
const appArb = fc.record({
  type: fc.string({ minLength: 1, maxLength: 10 }).filter((t) => !KNOWN_TYPES.has(t)),
  body: smallAnything,
})

const messageArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: tickArb },
  { weight: 1, arbitrary: appArb },
  { weight: 1, arbitrary: smallAnything },
  { weight: 1, arbitrary: fc.record({ type: wrongValueArb, symbol: symbolArb }) },
)

const batchArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(messageArb, { maxLength: 6 })
      .map((messages) => ({ type: 'batch', messages })),
  },
  // A batch inside a batch is an invalid message; the rest of the outer batch still counts.
  {
    weight: 1,
    arbitrary: fc.array(messageArb, { maxLength: 3 }).map((inner) => ({
      type: 'batch',
      messages: [{ type: 'batch', messages: inner }, ...inner],
    })),
  },
  { weight: 1, arbitrary: wrongValueArb.map((messages) => ({ type: 'batch', messages })) },
)

/** JSON text, with bigints written as strings (JSON has no bigint) and NaN/Infinity as null. */
function toJson(message: unknown): string | undefined {
  try {
    return JSON.stringify(message, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    )
  } catch {
    return undefined
  }
}

function toMsgpack(message: unknown): Uint8Array | undefined {
  try {
    return new Uint8Array(pack(message))
  } catch {
    return undefined // a bigint beyond 64 bits: the wire cannot carry it either
  }
}

const encodedArb: fc.Arbitrary<WireFrame> = fc
  .tuple(fc.oneof(messageArb, batchArb), fc.constantFrom('json', 'msgpack'))
  .map(([message, encoding]) => {
    const frame = encoding === 'msgpack' ? toMsgpack(message) : toJson(message)
    return frame ?? '{"type":"unencodable"}'
  })

/** Frames that are not messages at all, or not within the limits. */
function garbageArb(maxMessageBytes: number): fc.Arbitrary<WireFrame> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.uint8Array({ maxLength: 48 }),
    // Valid JSON cut short, and numbers JSON has no words for.
    encodedArb
      .filter((f): f is string => typeof f === 'string')
      .chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n))),
    fc.constantFrom(
      '{"type":"snapshot","symbol":"TARGET","seq":1,"data":{"price":NaN}}',
      '{"type":"delta","symbol":"TARGET","seq":Infinity,"data":{}}',
      'null',
      '[]',
      '"snapshot"',
      '1e999',
    ),
    // Deep nesting, as text and as MessagePack (a recursive decoder overflows its stack here).
    fc.integer({ min: 1_000, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.integer({ min: 1_000, max: 20_000 }).map((n) => {
      const bytes = new Uint8Array(n + 1).fill(0x91)
      bytes[n] = 0x90
      return bytes
    }),
    fc
      .integer({ min: 1_000, max: 5_000 })
      .map(
        (n) =>
          `{"type":"snapshot","symbol":"TARGET","seq":1,"data":{"price":1,"deep":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`,
      ),
    // Oversize: one byte or character over the limit, as a valid message and as binary.
    fc.constantFrom(
      JSON.stringify({
        type: 'snapshot',
        symbol: 'TARGET',
        seq: 1,
        data: { price: 1, pad: 'x'.repeat(maxMessageBytes) },
      }),
      new Uint8Array(maxMessageBytes + 1),
    ),
  )
}

/** One hostile frame. */
export function frameArb(maxMessageBytes: number): fc.Arbitrary<WireFrame> {
  return fc.oneof(
    { weight: 4, arbitrary: encodedArb },
    { weight: 2, arbitrary: garbageArb(maxMessageBytes) },
  )
}

/**
 * A server `error` message, valid or not: any code but `unauthorized` (which ends the socket by
 * design and is tested elsewhere), symbols that include prototype names and subscribed symbols,
 * and `retryAfter`/`ts` of every wrong kind. JSON or MessagePack.
 */
export const errorFrameArb: fc.Arbitrary<WireFrame> = fc
  .record(
    {
      type: fc.constant('error'),
      code: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom<unknown>(
            'unknown_symbol',
            'rate_limited',
            'bad_request',
            'internal',
          ),
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 8 }).filter((c) => c !== 'unauthorized') },
        { weight: 1, arbitrary: wrongValueArb.filter((c) => c !== 'unauthorized') },
      ),
      message: fc.oneof(fc.string({ maxLength: 12 }), wrongValueArb),
      symbols: fc.oneof(
        { weight: 4, arbitrary: fc.array(symbolArb, { maxLength: 5 }) },
        { weight: 1, arbitrary: wrongValueArb },
      ),
      retryAfter: fc.oneof(fc.double({ min: 0, max: 0.05, noNaN: true }), wrongValueArb),
      ts: fc.oneof(fc.nat(), wrongValueArb),
      id: fc.oneof(fc.nat(), wrongValueArb),
    },
    { requiredKeys: ['type'] },
  )
  .chain((message) =>
    fc
      .constantFrom('json', 'msgpack')
      .map(
        (encoding) =>
          (encoding === 'msgpack' ? toMsgpack(message) : toJson(message)) ?? '{"type":"error"}',
      ),
  )
