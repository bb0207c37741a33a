import type { PolledSnapshot } from './types'

/** Keys that must never become properties: they would reach a prototype. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
/** Price fields that, when present, must be finite numbers (PROTOCOL.md section 3.2). */
const PRICE_FIELDS = ['price', 'bid', 'ask', 'volume', 'change24h', 'high24h', 'low24h'] as const

/**
 * Merges several response bodies into one. Each must be an object; anything else makes the
 * whole poll fail (and retry), because a body of the wrong shape means a wrong endpoint.
 */
export function mergeBodies(bodies: unknown[]): unknown {
  if (bodies.length === 1) return bodies[0]
  const entries: Array<[string, unknown]> = []
  const unknown: unknown[] = []
  for (const body of bodies) {
    if (!isPlainObject(body)) return body
    const prices = body['prices']
    if (isPlainObject(prices)) {
      for (const key of Object.keys(prices)) entries.push([key, prices[key]])
    } else if (prices !== undefined) {
      return body
    }
    const list = body['unknown']
    if (Array.isArray(list)) unknown.push(...(list as unknown[]))
  }
  // A null-prototype holder: keys from the bodies never reach Object.prototype.
  const prices: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const [key, value] of entries) {
    if (!FORBIDDEN_KEYS.has(key)) prices[key] = value
  }
  return { prices, unknown }
}

/** A checked body: the entries that passed, and a message for each that did not. */
export interface ValidatedSnapshot {
  snapshot: PolledSnapshot
  problems: string[]
}

/**
 * Checks an untrusted REST body (PROTOCOL.md sections 1 and 5) and copies what passes into
 * null-prototype objects. Entries for symbols not asked for are ignored silently, as frames
 * for unsubscribed symbols are; a bad entry is dropped with a message and the rest kept.
 *
 * @param body - the parsed JSON body (or a `fetchSnapshot` result).
 * @param wanted - the symbols that were asked for.
 */
export function validateSnapshot(body: unknown, wanted: readonly string[]): ValidatedSnapshot {
  const prices = Object.create(null) as PolledSnapshot['prices']
  const unknown: string[] = []
  const problems: string[] = []
  const snapshot: PolledSnapshot = { prices, unknown }
  if (!isPlainObject(body)) {
    problems.push('invalid REST body: not an object')
    return { snapshot, problems }
  }
  const asked = new Set(wanted)
  const rawPrices = body['prices']
  if (isPlainObject(rawPrices)) {
    for (const symbol of Object.keys(rawPrices)) {
      if (!asked.has(symbol)) continue
      const entry = checkEntry(symbol, rawPrices[symbol])
      if (typeof entry === 'string') problems.push(entry)
      else prices[symbol] = entry
    }
  } else if (rawPrices !== undefined) {
    problems.push('invalid REST body: `prices` is not an object')
  }
  const rawUnknown = body['unknown']
  if (Array.isArray(rawUnknown)) {
    for (const symbol of rawUnknown as unknown[]) {
      if (typeof symbol === 'string' && asked.has(symbol) && !unknown.includes(symbol)) {
        unknown.push(symbol)
      }
    }
  } else if (rawUnknown !== undefined) {
    problems.push('invalid REST body: `unknown` is not an array')
  }
  return { snapshot, problems }
}

type Entry = PolledSnapshot['prices'][string]

/** One entry checked like a `snapshot` frame; a string explains why it was refused. */
function checkEntry(symbol: string, raw: unknown): Entry | string {
  const refuse = (why: string): string => `invalid REST entry for ${JSON.stringify(symbol)}: ${why}`
  if (symbol === '' || FORBIDDEN_KEYS.has(symbol)) return refuse('bad symbol')
  if (!isPlainObject(raw)) return refuse('not an object')
  const seq = raw['seq']
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return refuse('bad seq')
  const ts = raw['ts']
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) return refuse('bad ts')
  const rawData = raw['data']
  if (!isPlainObject(rawData)) return refuse('data is not an object')
  if (rawData['price'] === undefined) return refuse('no price')
  for (const field of PRICE_FIELDS) {
    const value = rawData[field]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      return refuse(`${field} is not a finite number`)
    }
  }
  const data = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(rawData)) {
    if (!FORBIDDEN_KEYS.has(key)) data[key] = rawData[key]
  }
  return ts === undefined ? { seq, data } : { seq, ts, data }
}

/** An object literal or a null-prototype object: not an array, class instance or null. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}
