import { msgpackCodec } from '../core'
import type { FrameRecord } from './frameRecorder'
import { maskSecrets, maskUrl } from './mask'

/** What a recorded frame shows: its size, its kind and its decoded, masked message. */
export type DecodedFrame = Pick<FrameRecord, 'bytes' | 'encoding' | 'message'>

/** Text shown for a frame that is not decoded. */
function describe(bytes: number, why: string): string {
  return `<${bytes} bytes, ${why}>`
}

/** A binary frame's bytes, whichever form the socket handed it in. */
function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return null
}

/** A text frame: JSON with its secrets masked, else the first 500 characters (URL secrets masked). */
function decodeText(data: string, maxDecodeBytes: number): DecodedFrame {
  if (data.length > maxDecodeBytes)
    return {
      bytes: data.length,
      encoding: 'text',
      message: describe(data.length, 'too large to show'),
    }
  try {
    return { bytes: data.length, encoding: 'text', message: maskSecrets(JSON.parse(data)) }
  } catch {
    return { bytes: data.length, encoding: 'text', message: maskUrl(data.slice(0, 500)) }
  }
}

/**
 * Decodes a frame as it travelled for the panel: text as JSON, binary as MessagePack, each with
 * its secrets masked. A frame over `maxDecodeBytes`, or one that does not decode, is shown by
 * its size and the reason, so a recorder never throws on what a socket carries.
 */
export function decodeFrame(data: unknown, maxDecodeBytes: number): DecodedFrame {
  if (typeof data === 'string') return decodeText(data, maxDecodeBytes)
  const bytes = toBytes(data)
  if (!bytes) return { bytes: 0, encoding: 'binary', message: '<binary frame of an unknown kind>' }
  if (bytes.byteLength > maxDecodeBytes)
    return {
      bytes: bytes.byteLength,
      encoding: 'binary',
      message: describe(bytes.byteLength, 'too large to show'),
    }
  try {
    return {
      bytes: bytes.byteLength,
      encoding: 'binary',
      message: maskSecrets(msgpackCodec.decode(bytes)),
    }
  } catch {
    return {
      bytes: bytes.byteLength,
      encoding: 'binary',
      message: describe(bytes.byteLength, 'not MessagePack'),
    }
  }
}
