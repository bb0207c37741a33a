// The no-eval build for both ways: the default one holds a record decoder that generates code
// with Function(), which a Content-Security-Policy without 'unsafe-eval' refuses.
import { pack, unpack } from 'msgpackr/index-no-eval'
import type { Codec, Frame } from './types'

/**
 * MessagePack codec (`tickwire.v1.msgpack`): binary frames through msgpackr.
 *
 * Decoding goes through msgpackr's no-eval build: the default build compiles a reader with
 * `new Function` after a few records of one shape, which a hostile server could trigger by
 * sending record definitions and which a strict Content-Security-Policy forbids. Encoding uses
 * the default `pack` with records off (its default), which never generates code.
 */
export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode(message: unknown): Frame {
    return pack(message)
  },
  decode(frame: Frame): unknown {
    // A text frame is not MessagePack; say so instead of guessing an encoding.
    if (typeof frame === 'string') throw new TypeError('MessagePack frames are binary')
    return unpack(frame)
  },
}
