import type { Encoding } from '../codecs/types'
import type { InboundEvent, ProtocolAdapter, TickData } from './types'

/** Subprotocol for JSON text frames (PROTOCOL.md section 1); offered by default. */
export const TICKWIRE_JSON = 'tickwire.v1.json'
/** Subprotocol for MessagePack binary frames; offered first only with `encoding: 'msgpack'`. */
export const TICKWIRE_MSGPACK = 'tickwire.v1.msgpack'

/** Price fields that must be finite numbers when present (PROTOCOL.md 3.2). */
export const PRICE_FIELDS = ['price', 'bid', 'ask', 'volume', 'change24h', 'high24h', 'low24h'] as const

/** Symbols that would reach an object's prototype if used as keys: always invalid. */
const FORBIDDEN_SYMBOLS = new Set(['__proto__', 'constructor', 'prototype'])

type Invalid = Extract<InboundEvent, { type: 'invalid' }>
const invalid = (code: string, message: string): Invalid => ({ type: 'invalid', code, message })

/** A plain object: made by `{}`, JSON.parse or a MessagePack map, not an array, class or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** A symbol the protocol accepts: a non-empty string that cannot name a prototype. */
export function isValidSymbol(symbol: unknown): symbol is string {
  return typeof symbol === 'string' && symbol.length > 0 && !FORBIDDEN_SYMBOLS.has(symbol)
}

function own(m: Record<string, unknown>, key: string): unknown {
  // Read own keys only: a `ts` inherited from a polluted prototype must not count as sent.
  return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined
}

function decodeTick(m: Record<string, unknown>, type: 'snapshot' | 'delta'): InboundEvent {
  const symbol = own(m, 'symbol')
  if (!isValidSymbol(symbol)) return invalid('bad_symbol', `${type}: symbol must be a non-empty string`)
  const seq = own(m, 'seq')
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return invalid('bad_seq', `${type} ${symbol}: seq must be a non-negative safe integer`)
  }
  const ts = own(m, 'ts')
  if (ts !== undefined && !isFiniteNumber(ts)) return invalid('bad_ts', `${type} ${symbol}: ts must be a finite number`)
  const data = own(m, 'data')
  if (!isPlainObject(data)) return invalid('bad_data', `${type} ${symbol}: data must be a plain object`)
  for (const field of PRICE_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(data, field)) continue
    if (!isFiniteNumber(data[field])) return invalid('bad_price', `${type} ${symbol}: data.${field} must be a finite number`)
  }
  if (type === 'snapshot' && !Object.prototype.hasOwnProperty.call(data, 'price')) {
    return invalid('missing_price', `snapshot ${symbol}: data.price is required`)
  }
  const tickData: TickData = data
  return ts === undefined ? { type, symbol, seq, data: tickData } : { type, symbol, seq, ts, data: tickData }
}

function decodeError(m: Record<string, unknown>): InboundEvent {
  const code = own(m, 'code')
  if (typeof code !== 'string' || code.length === 0) return invalid('bad_error', 'error: code must be a non-empty string')
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
    if (!isFiniteNumber(retryAfter) || retryAfter < 0) return invalid('bad_error', 'error: retryAfter must be a non-negative number')
    event.retryAfter = retryAfter
  }
  const id = own(m, 'id')
  if (typeof id === 'number' && Number.isSafeInteger(id)) event.id = id
  return event
}

function decodeOne(message: unknown, inBatch: boolean): InboundEvent {
  if (!isPlainObject(message)) return invalid('not_object', 'message is not an object')
  const type = own(message, 'type')
  if (typeof type !== 'string') return invalid('bad_type', 'message has no string type')
  const ts = own(message, 'ts')
  switch (type) {
    case 'snapshot':
    case 'delta':
      return decodeTick(message, type)
    case 'pong':
      if (!isFiniteNumber(ts)) return invalid('bad_ts', 'pong: ts must be a finite number')
      return { type: 'pong', ts }
    case 'welcome': {
      const heartbeatMs = own(message, 'heartbeatMs')
      const serverTime = own(message, 'serverTime')
      if (heartbeatMs !== undefined && (!isFiniteNumber(heartbeatMs) || heartbeatMs <= 0)) {
        return invalid('bad_welcome', 'welcome: heartbeatMs must be a positive number')
      }
      if (serverTime !== undefined && !isFiniteNumber(serverTime)) return invalid('bad_welcome', 'welcome: serverTime must be a finite number')
      if (ts !== undefined && !isFiniteNumber(ts)) return invalid('bad_ts', 'welcome: ts must be a finite number')
      const event: Extract<InboundEvent, { type: 'welcome' }> = { type: 'welcome' }
      if (heartbeatMs !== undefined) event.heartbeatMs = heartbeatMs
      if (serverTime !== undefined) event.serverTime = serverTime
      return event
    }
    case 'error':
      if (ts !== undefined && !isFiniteNumber(ts)) return invalid('bad_ts', 'error: ts must be a finite number')
      return decodeError(message)
    case 'batch':
      // Only reached inside a batch: the top level unpacks batches in decode().
      return invalid('nested_batch', inBatch ? 'a batch inside a batch' : 'batch')
    default:
      // Unknown types are application messages, handed on untouched (PROTOCOL.md section 1).
      return { type: 'message', message }
  }
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
    maxSymbolsPerFrame: 100,
    subprotocols(encoding: Encoding): string[] {
      return encoding === 'msgpack' ? [TICKWIRE_MSGPACK, TICKWIRE_JSON] : [TICKWIRE_JSON]
    },
    auth: (token: string) => ({ type: 'auth', token }),
    subscribe: (symbols: readonly string[], id: number) => ({ type: 'subscribe', id, symbols: [...symbols] }),
    unsubscribe: (symbols: readonly string[], id: number) => ({ type: 'unsubscribe', id, symbols: [...symbols] }),
    resync: (symbols: readonly string[]) => ({ type: 'resync', symbols: [...symbols] }),
    ping: (ts: number) => ({ type: 'ping', ts: Math.floor(ts) }),
    decode(message: unknown): InboundEvent[] {
      try {
        if (isPlainObject(message) && own(message, 'type') === 'batch') {
          const messages = own(message, 'messages')
          if (!Array.isArray(messages)) return [invalid('bad_batch', 'batch: messages must be an array')]
          return messages.map((m: unknown) => decodeOne(m, true))
        }
        return [decodeOne(message, false)]
      } catch {
        // A getter or proxy in a hand-built message must not break the connection.
        return [invalid('bad_message', 'message could not be read')]
      }
    },
  }
}
