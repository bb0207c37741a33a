/**
 * An independent reading of PROTOCOL.md section 1 ("Invalid means ..."), written from the
 * document and not from src/: for one inbound frame, how many messages a client must count in
 * `stats.invalid`. The fuzz suite compares the real client against it. It covers the message
 * types the fuzzer generates (snapshot, delta, batch, application messages); `error`, `pong`
 * and `welcome` are left out of generation because they steer the connection (a 4401-like
 * `unauthorized`, heartbeat advice) rather than the store.
 */
import { unpack } from 'msgpackr/unpack-no-eval'

const PRICE_FIELDS = ['price', 'bid', 'ask', 'volume', 'change24h', 'high24h', 'low24h']
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype'])
/** Types the client handles itself; the fuzzer never generates them as "unknown". */
export const KNOWN_TYPES = new Set(['snapshot', 'delta', 'batch', 'pong', 'welcome', 'error'])

const own = (o: object, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined

function plain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v)

/** Whether one decoded message breaks the document (judged alone, as inside a batch). */
function messageInvalid(m: unknown, inBatch: boolean): boolean {
  if (!plain(m)) return true
  const type = own(m, 'type')
  if (typeof type !== 'string') return true
  if (type === 'batch') return inBatch // the top level is unpacked by the caller
  if (type !== 'snapshot' && type !== 'delta') return false // application message
  const symbol = own(m, 'symbol')
  if (typeof symbol !== 'string' || symbol.length === 0 || PROTOTYPE_NAMES.has(symbol)) return true
  const seq = own(m, 'seq')
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return true
  const ts = own(m, 'ts')
  if (ts !== undefined && !finite(ts)) return true
  const data = own(m, 'data')
  if (!plain(data)) return true
  for (const field of PRICE_FIELDS) {
    if (Object.prototype.hasOwnProperty.call(data, field) && !finite(data[field])) return true
  }
  return type === 'snapshot' && !Object.prototype.hasOwnProperty.call(data, 'price')
}

/** How many invalid messages a decoded top-level message holds. */
export function invalidCount(decoded: unknown): number {
  if (plain(decoded) && own(decoded, 'type') === 'batch') {
    const messages = own(decoded, 'messages')
    if (!Array.isArray(messages)) return 1
    return messages.filter((m) => messageInvalid(m, true)).length
  }
  return messageInvalid(decoded, false) ? 1 : 0
}

/**
 * Invalid messages in one frame as the client receives it: refused by size first (text by
 * string length, binary by bytes), then not decodable (a text frame is JSON, a binary frame
 * MessagePack), then judged message by message.
 */
export function expectedInvalid(frame: string | Uint8Array, maxMessageBytes: number): number {
  const size = typeof frame === 'string' ? frame.length : frame.byteLength
  if (size > maxMessageBytes) return 1
  let decoded: unknown
  try {
    decoded = typeof frame === 'string' ? JSON.parse(frame) : unpack(frame)
  } catch {
    return 1
  }
  return invalidCount(decoded)
}
