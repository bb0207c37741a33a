import type { Codec, Frame } from './types'

// One decoder for all calls: TextDecoder is stateless when used without `stream`.
let utf8: TextDecoder | undefined

/**
 * JSON codec: text frames, `JSON.stringify` out and `JSON.parse` in. A binary frame handed
 * to it is read as UTF-8 first, so an adapter that receives JSON in binary frames still works.
 * `JSON.parse` never evaluates code and creates `__proto__` as an ordinary own key, which the
 * protocol and merge layers then refuse to write anywhere.
 */
export const jsonCodec: Codec = {
  name: 'json',
  encode(message: unknown): Frame {
    const text = JSON.stringify(message)
    // JSON.stringify(undefined) is undefined, not a string: refuse it instead of sending "undefined".
    if (typeof text !== 'string') throw new TypeError('message cannot be encoded as JSON')
    return text
  },
  decode(frame: Frame): unknown {
    if (typeof frame === 'string') return JSON.parse(frame)
    utf8 ??= new TextDecoder('utf-8', { fatal: true })
    return JSON.parse(utf8.decode(frame))
  },
}
