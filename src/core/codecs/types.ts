/** One frame as it travels on a socket: text or binary. */
export type Frame = string | Uint8Array

/**
 * Turns message objects into frames and back. JSON frames are text, MessagePack frames
 * binary. A codec never evaluates code and throws on input it cannot decode; the connection
 * turns that throw into a counted `invalid_frame`.
 */
export interface Codec {
  /** Short name: `json`, `msgpack`, or a user's own. */
  readonly name: string
  encode(message: unknown): Frame
  /** Throws when the frame cannot be decoded. */
  decode(frame: Frame): unknown
}

/** Wire encodings the connection can negotiate. */
export type Encoding = 'json' | 'msgpack'
