import { decoderFor } from './codecs/index'
import type { Codec, Frame } from './codecs/types'
import type { InboundEvent, ProtocolAdapter } from './protocols/types'

/** Size of a frame as PROTOCOL.md section 1 measures it: bytes for binary, characters for text. */
export const frameSize = (frame: Frame): number => (typeof frame === 'string' ? frame.length : frame.byteLength)

/** What `readFrame` needs. */
export interface ReadFrameOptions {
  /** Frames larger than this are refused before decoding (`maxMessageBytes`, default 1 MiB). */
  maxMessageBytes: number
  protocol: ProtocolAdapter
  /** A codec that reads every frame (an adapter's own encoding); absent for tickwire's. */
  codec?: Codec | undefined
}

/**
 * One inbound frame to events: the size check first (so an oversized frame costs nothing to
 * refuse), then decoding by frame kind, then the protocol's validation. Never throws: anything
 * wrong becomes an `invalid` event with a short code (`too_large`, `bad_json`, `bad_msgpack`,
 * or the protocol's own).
 */
export function readFrame(frame: Frame, options: ReadFrameOptions): InboundEvent[] {
  const size = frameSize(frame)
  if (size > options.maxMessageBytes) {
    return [{ type: 'invalid', code: 'too_large', message: `frame of ${size} exceeds maxMessageBytes ${options.maxMessageBytes}` }]
  }
  let decoded: unknown
  try {
    decoded = decoderFor(frame, options.codec).decode(frame)
  } catch {
    return [{ type: 'invalid', code: typeof frame === 'string' ? 'bad_json' : 'bad_msgpack', message: 'frame could not be decoded' }]
  }
  return options.protocol.decode(decoded)
}
