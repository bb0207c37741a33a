/**
 * Frame helpers of a client session (session.ts): the bytes a `ws` message event hands over,
 * and the one frame that carries a market step's deltas in the session's encoding.
 */
import type { RawData } from 'ws'
import type { PreparedDelta } from './hub'
import { encodeMessage, type WireEncoding } from './messages'

/** The bytes of a `ws` message, whatever form `ws` delivered them in. */
export function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}

/** The deltas of one market step as one frame (a `batch` when more than one). */
export function deltaFrame(deltas: PreparedDelta[], encoding: WireEncoding): string | Buffer {
  if (encoding === 'json') {
    const first = deltas[0]
    return deltas.length === 1 && first
      ? first.json
      : `{"type":"batch","messages":[${deltas.map((d) => d.json).join(',')}]}`
  }
  const messages = deltas.map((d) => d.message)
  const first = messages[0]
  return encodeMessage(
    messages.length === 1 && first ? first : { type: 'batch', messages },
    'msgpack',
  )
}
