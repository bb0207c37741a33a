import type { Encoding } from '../codecs/types'
import { EventList } from './event-list'
import { tickwireCloseOutcome, tickwireErrorOutcome } from './outcomes'
import type { InboundEvent, InboundSink, ProtocolAdapter, TickData } from './types'

/** Subprotocol for JSON text frames (PROTOCOL.md section 1); offered by default. */
export const TICKWIRE_JSON = 'tickwire.v1.json'
/** Subprotocol for MessagePack binary frames; offered first only with `encoding: 'msgpack'`. */
export const TICKWIRE_MSGPACK = 'tickwire.v1.msgpack'

/** Price fields that must be finite numbers when present (PROTOCOL.md 3.2). */
export const PRICE_FIELDS = [
  'price',
  'bid',
  'ask',
  'volume',
  'change24h',
  'high24h',
  'low24h',
] as const

type Invalid = Extract<InboundEvent, { type: 'invalid' }>
const invalid = (code: string, message: string): Invalid => ({ type: 'invalid', code, message })

const hasOwn = Object.prototype.hasOwnProperty
const OBJECT_PROTOTYPE: object = Object.prototype

/** A plain object: made by `{}`, JSON.parse or a MessagePack map, not an array, class or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A symbol the protocol accepts: a non-empty string that cannot name a prototype. */
export function isValidSymbol(symbol: unknown): symbol is string {
  // Plain comparisons rather than a Set lookup: this runs for every message.
  return (
    typeof symbol === 'string' &&
    symbol.length > 0 &&
    symbol !== '__proto__' &&
    symbol !== 'constructor' &&
    symbol !== 'prototype'
  )
}

/**
 * Reads an own key of a plain object: a `ts` inherited from a polluted prototype must not count
 * as sent. Used off the hot path; snapshots and deltas read their keys as below.
 */
function own(m: Record<string, unknown>, key: string): unknown {
  return hasOwn.call(m, key) ? m[key] : undefined
}

// The hot path reads a key K of a plain object m as
//   'K' in OBJECT_PROTOTYPE ? own(m, 'K') : m.K
// A plain object's prototype is Object.prototype or null, so the direct read is already an own
// read unless Object.prototype itself holds K (a polluted prototype), and only then is
// hasOwnProperty asked. Written out at each site with a literal key, not in a helper: each
// read then keeps its own inline cache (one shape, a fixed offset), where a helper shared by
// every key turns into a generic lookup, and a hasOwnProperty call per key cost about as much
// as the rest of the validation together.

/**
 * Whether a listed price field breaks the protocol (PROTOCOL.md section 1): held as an own key
 * with a value that is not a finite number. `present` is `key in data`. The usual cases (a
 * finite number, an absent optional field) are settled without hasOwnProperty; the caller asks
 * it only when this returns true (an own `undefined` is still invalid).
 */
function suspect(value: unknown, present: boolean): boolean {
  if (typeof value === 'number') return !Number.isFinite(value)
  return value !== undefined || present
}

/** The first listed price field of `data` that breaks the protocol, in PRICE_FIELDS order. */
function badPriceField(data: Record<string, unknown>): string | null {
  // Spelled out rather than looped over PRICE_FIELDS, for the reason given above.
  if (suspect(data.price, 'price' in data) && hasOwn.call(data, 'price')) return 'price'
  if (suspect(data.bid, 'bid' in data) && hasOwn.call(data, 'bid')) return 'bid'
  if (suspect(data.ask, 'ask' in data) && hasOwn.call(data, 'ask')) return 'ask'
  if (suspect(data.volume, 'volume' in data) && hasOwn.call(data, 'volume')) return 'volume'
  if (suspect(data.change24h, 'change24h' in data) && hasOwn.call(data, 'change24h'))
    return 'change24h'
  if (suspect(data.high24h, 'high24h' in data) && hasOwn.call(data, 'high24h')) return 'high24h'
  if (suspect(data.low24h, 'low24h' in data) && hasOwn.call(data, 'low24h')) return 'low24h'
  return null
}

// The fields of the last valid tick `judge` saw. Scratch rather than an event object per
// message: the caller copies them into arguments right away, before any other code runs.
let tickType: 'snapshot' | 'delta' = 'delta'
let tickSymbol = ''
let tickSeq = 0
let tickTs: number | undefined
let tickData: TickData = OBJECT_PROTOTYPE as TickData

/** Validates a snapshot or delta: null when valid (its fields then in the scratch), else why not. */
function judgeTick(m: Record<string, unknown>, type: 'snapshot' | 'delta'): Invalid | null {
  const symbol = 'symbol' in OBJECT_PROTOTYPE ? own(m, 'symbol') : m.symbol
  if (!isValidSymbol(symbol))
    return invalid('bad_symbol', `${type}: symbol must be a non-empty string`)
  const seq = 'seq' in OBJECT_PROTOTYPE ? own(m, 'seq') : m.seq
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return invalid('bad_seq', `${type} ${symbol}: seq must be a non-negative safe integer`)
  }
  const ts = 'ts' in OBJECT_PROTOTYPE ? own(m, 'ts') : m.ts
  if (ts !== undefined && !isFiniteNumber(ts))
    return invalid('bad_ts', `${type} ${symbol}: ts must be a finite number`)
  const data = 'data' in OBJECT_PROTOTYPE ? own(m, 'data') : m.data
  if (!isPlainObject(data))
    return invalid('bad_data', `${type} ${symbol}: data must be a plain object`)
  const field = badPriceField(data)
  if (field !== null)
    return invalid('bad_price', `${type} ${symbol}: data.${field} must be a finite number`)
  if (type === 'snapshot' && !hasOwn.call(data, 'price')) {
    return invalid('missing_price', `snapshot ${symbol}: data.price is required`)
  }
  // Written last, after every read: a getter in a hand-built message runs before this point.
  tickType = type
  tickSymbol = symbol
  tickSeq = seq
  tickTs = ts
  tickData = data
  return null
}

function decodeError(m: Record<string, unknown>): InboundEvent {
  const code = own(m, 'code')
  if (typeof code !== 'string' || code.length === 0)
    return invalid('bad_error', 'error: code must be a non-empty string')
  const message = own(m, 'message')
  const event: Extract<InboundEvent, { type: 'error' }> = {
    type: 'error',
    code,
    message: typeof message === 'string' ? message : code,
  }
  const symbols = own(m, 'symbols')
  if (symbols !== undefined) {
    if (!Array.isArray(symbols)) return invalid('bad_error', 'error: symbols must be an array')
    // Keep only symbols that could have been subscribed; a prototype name is never one.
    event.symbols = symbols.filter(isValidSymbol)
  }
  const retryAfter = own(m, 'retryAfter')
  if (retryAfter !== undefined) {
    if (!isFiniteNumber(retryAfter) || retryAfter < 0)
      return invalid('bad_error', 'error: retryAfter must be a non-negative number')
    event.retryAfter = retryAfter
  }
  const id = own(m, 'id')
  if (typeof id === 'number' && Number.isSafeInteger(id)) event.id = id
  return event
}

/** One message judged: null for a valid snapshot or delta (fields in the scratch), else its event. */
function judge(message: unknown, inBatch: boolean): InboundEvent | null {
  if (!isPlainObject(message)) return invalid('not_object', 'message is not an object')
  const type = 'type' in OBJECT_PROTOTYPE ? own(message, 'type') : message.type
  if (typeof type !== 'string') return invalid('bad_type', 'message has no string type')
  switch (type) {
    case 'snapshot':
    case 'delta':
      return judgeTick(message, type)
    case 'pong': {
      const ts = own(message, 'ts')
      if (!isFiniteNumber(ts)) return invalid('bad_ts', 'pong: ts must be a finite number')
      return { type: 'pong', ts }
    }
    case 'welcome': {
      const heartbeatMs = own(message, 'heartbeatMs')
      const serverTime = own(message, 'serverTime')
      const ts = own(message, 'ts')
      if (heartbeatMs !== undefined && (!isFiniteNumber(heartbeatMs) || heartbeatMs <= 0)) {
        return invalid('bad_welcome', 'welcome: heartbeatMs must be a positive number')
      }
      if (serverTime !== undefined && !isFiniteNumber(serverTime))
        return invalid('bad_welcome', 'welcome: serverTime must be a finite number')
      if (ts !== undefined && !isFiniteNumber(ts))
        return invalid('bad_ts', 'welcome: ts must be a finite number')
      const event: Extract<InboundEvent, { type: 'welcome' }> = { type: 'welcome' }
      if (heartbeatMs !== undefined) event.heartbeatMs = heartbeatMs
      if (serverTime !== undefined) event.serverTime = serverTime
      return event
    }
    case 'error': {
      const ts = own(message, 'ts')
      if (ts !== undefined && !isFiniteNumber(ts))
        return invalid('bad_ts', 'error: ts must be a finite number')
      return decodeError(message)
    }
    case 'batch':
      // Only reached inside a batch: the top level unpacks batches in decodeInto().
      return invalid('nested_batch', inBatch ? 'a batch inside a batch' : 'batch')
    default:
      // Unknown types are application messages, handed on untouched (PROTOCOL.md section 1).
      return { type: 'message', message }
  }
}

const unreadable = (): Invalid => invalid('bad_message', 'message could not be read')

/**
 * Judges `messages[index]` (or `message` itself when `messages` is null) and hands the result
 * to the sink. Reading is guarded, the sink call is not: a getter or proxy in a hand-built
 * message must not break the connection, but a bug behind the sink must not pass for a bad frame.
 */
function emit(
  sink: InboundSink,
  message: unknown,
  messages: readonly unknown[] | null,
  index: number,
): void {
  let event: InboundEvent | null
  try {
    event = judge(messages === null ? message : messages[index], messages !== null)
  } catch {
    event = unreadable()
  }
  if (event === null) sink.tick(tickType, tickSymbol, tickSeq, tickTs, tickData)
  else sink.event(event)
}

/** Every event of one decoded message, batches unpacked in order, each message judged alone. */
function decodeInto(message: unknown, sink: InboundSink): void {
  let batch = false
  let messages: unknown
  let count = 0
  try {
    if (
      isPlainObject(message) &&
      ('type' in OBJECT_PROTOTYPE ? own(message, 'type') : message.type) === 'batch'
    ) {
      batch = true
      messages = own(message, 'messages')
      if (Array.isArray(messages)) count = messages.length
    }
  } catch {
    return sink.event(unreadable())
  }
  // Sink calls stay outside the guard above, as in emit().
  if (!batch) return emit(sink, message, null, 0)
  if (!Array.isArray(messages))
    return sink.event(invalid('bad_batch', 'batch: messages must be an array'))
  const list = messages as readonly unknown[]
  for (let i = 0; i < count; i++) emit(sink, undefined, list, i)
}

/**
 * The adapter for tickwire's own wire protocol (PROTOCOL.md, version 1): the default
 * `protocol` of every connection.
 *
 * - Offers `tickwire.v1.json`, or `tickwire.v1.msgpack` then `tickwire.v1.json` for the
 *   `msgpack` encoding, so a server without MessagePack still gets JSON.
 * - At most 100 symbols per subscribe, unsubscribe or resync frame (section 2).
 * - `decode` validates every message as section 1 requires: anything malformed becomes an
 *   `invalid` event with a short code (`not_object`, `bad_type`, `bad_symbol`, `bad_seq`,
 *   `bad_ts`, `bad_data`, `bad_price`, `missing_price`, `bad_error`, `bad_welcome`,
 *   `bad_batch`, `nested_batch`); a batch's messages are judged one by one; unknown types
 *   become `message` events. It never throws.
 */
export function tickwireProtocol(): ProtocolAdapter {
  return {
    name: 'tickwire',
    closeOutcome: tickwireCloseOutcome,
    errorOutcome: tickwireErrorOutcome,
    maxSymbolsPerFrame: 100,
    subprotocols(encoding: Encoding): string[] {
      return encoding === 'msgpack' ? [TICKWIRE_MSGPACK, TICKWIRE_JSON] : [TICKWIRE_JSON]
    },
    auth: (token: string) => ({ type: 'auth', token }),
    subscribe: (symbols: readonly string[], id: number) => ({
      type: 'subscribe',
      id,
      symbols: [...symbols],
    }),
    unsubscribe: (symbols: readonly string[], id: number) => ({
      type: 'unsubscribe',
      id,
      symbols: [...symbols],
    }),
    resync: (symbols: readonly string[]) => ({ type: 'resync', symbols: [...symbols] }),
    ping: (ts: number) => ({ type: 'ping', ts: Math.floor(ts) }),
    decode(message: unknown): InboundEvent[] {
      const list = new EventList()
      decodeInto(message, list)
      return list.events
    },
    decodeInto,
  }
}
