import type { Codec, Encoding, Frame } from './types'
import { jsonCodec } from './json'
import { msgpackCodec } from './msgpack'

export { jsonCodec } from './json'
export { msgpackCodec } from './msgpack'

/** The codec of an encoding name: `json` or `msgpack`. */
export function codecFor(encoding: Encoding): Codec {
  return encoding === 'msgpack' ? msgpackCodec : jsonCodec
}

/**
 * The codec that reads an inbound frame. PROTOCOL.md section 1: whatever was negotiated, a
 * binary frame is MessagePack and a text frame is JSON. `custom`, when given, wins (an
 * adapter with its own encoding, from `ConnectionConfig.codecs`).
 */
export function decoderFor(frame: Frame, custom?: Codec): Codec {
  if (custom) return custom
  return typeof frame === 'string' ? jsonCodec : msgpackCodec
}

/**
 * The codec that writes outbound frames on a socket, from its negotiated subprotocol: a name
 * ending in `.msgpack` means MessagePack; anything else, no choice at all (`''`) included,
 * means JSON text frames. A subprotocol named in `codecs` uses that codec.
 */
export function encoderFor(subprotocol: string, codecs?: Readonly<Record<string, Codec>>): Codec {
  const custom = codecs?.[subprotocol]
  if (custom) return custom
  return subprotocol.endsWith('.msgpack') || subprotocol === 'msgpack' ? msgpackCodec : jsonCodec
}
