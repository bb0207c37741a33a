/**
 * What travels through Redis, and the checks a node applies before trusting it. A channel
 * message is a JSON array of moves `{symbol, seq, ts, data}`; the latest hash holds one such
 * object per symbol with every field in `data`. Anything else (a foreign publisher, a
 * hand-typed PUBLISH, a truncated value) is refused with a reason, counted by the caller and
 * never reaches a client. Parsed objects are rebuilt field by field from a fixed key list, so
 * a `__proto__` key in the input cannot reach a prototype.
 */
import type { PriceData, SymbolMove, SymbolSnapshot } from '../market'

/** The price fields a move may carry, in the order the market writes them. */
export const PRICE_FIELDS: ReadonlyArray<keyof PriceData> = [
  'price',
  'bid',
  'ask',
  'volume',
  'change24h',
  'high24h',
  'low24h',
]

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])
/** Largest channel message a node parses; the publisher writes far less per step. */
export const MAX_REDIS_MESSAGE_BYTES = 1024 * 1024

/** A value read from Redis: parsed, or refused with a short reason. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string }

/** Whether a string is acceptable as a symbol name (the client protocol's own limits). */
export function isSymbolName(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= 64 && !FORBIDDEN.has(value)
  )
}

function readData(raw: unknown, whole: boolean): Partial<PriceData> | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'data is not an object'
  const source = raw as Record<string, unknown>
  const data: Partial<PriceData> = {}
  for (const key of Object.keys(source)) {
    if (!(PRICE_FIELDS as readonly string[]).includes(key)) return `unknown field "${key}"`
  }
  for (const key of PRICE_FIELDS) {
    const value = source[key]
    if (value === undefined) {
      if (whole) return `missing field "${key}"`
      continue
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return `"${key}" is not a number`
    data[key] = value
  }
  return data
}

function readMove(raw: unknown, whole: boolean): SymbolMove | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not an object'
  const { symbol, seq, ts, data } = raw as Record<string, unknown>
  if (!isSymbolName(symbol)) return 'bad symbol'
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return 'bad seq'
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'bad ts'
  const parsed = readData(data, whole)
  if (typeof parsed === 'string') return parsed
  return { symbol, seq, ts, data: parsed }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Decodes one channel message: a non-empty JSON array of valid moves, or a reason. */
export function decodeMoves(text: string): Decoded<SymbolMove[]> {
  if (text.length > MAX_REDIS_MESSAGE_BYTES) return { ok: false, reason: 'message too large' }
  const raw = parse(text)
  if (!Array.isArray(raw) || raw.length === 0)
    return { ok: false, reason: 'not a JSON array of moves' }
  const moves: SymbolMove[] = []
  for (const item of raw) {
    const move = readMove(item, false)
    if (typeof move === 'string') return { ok: false, reason: move }
    moves.push(move)
  }
  return { ok: true, value: moves }
}

/** Decodes one value of the latest hash: a whole snapshot, or a reason. */
export function decodeSnapshot(text: string): Decoded<SymbolSnapshot> {
  const move = readMove(parse(text), true)
  if (typeof move === 'string') return { ok: false, reason: move }
  return { ok: true, value: { ...move, data: move.data as PriceData } }
}

/** The JSON of a data object, fields in {@link PRICE_FIELDS} order (what the Lua script wraps). */
export function encodeData(data: Partial<PriceData>): string {
  const parts: string[] = []
  for (const key of PRICE_FIELDS) {
    const value = data[key]
    if (value !== undefined) parts.push(`"${key}":${JSON.stringify(value)}`)
  }
  return `{${parts.join(',')}}`
}

/** Decodes the `symbols` field of the meta hash: a JSON array of symbol names. */
export function decodeSymbolList(text: string | null): Decoded<string[]> {
  if (text === null) return { ok: false, reason: 'no market announced' }
  const raw = parse(text)
  if (!Array.isArray(raw) || !raw.every(isSymbolName))
    return { ok: false, reason: 'symbols is not a list of names' }
  return { ok: true, value: [...new Set(raw)] }
}
