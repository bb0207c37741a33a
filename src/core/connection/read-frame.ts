import { decoderFor } from '../codecs/index'
import type { Codec, Frame } from '../codecs/types'
import { EventList } from '../protocols/event-list'
import type { InboundEvent, InboundSink, ProtocolAdapter } from '../protocols/types'

/** Size of a frame as PROTOCOL.md section 1 measures it: bytes for binary, characters for text. */
export const frameSize = (frame: Frame): number =>
  typeof frame === 'string' ? frame.length : frame.byteLength

/** What `readFrame` needs. */
export interface ReadFrameOptions {
  /** Frames larger than this are refused before decoding (`maxMessageBytes`, default 1 MiB). */
  maxMessageBytes: number
  protocol: ProtocolAdapter
  /** A codec that reads every frame (an adapter's own encoding); absent for tickwire's. */
  codec?: Codec | undefined
}

/**
 * One inbound frame to events, handed to `sink` one by one: the size check first (so an
 * oversized frame costs nothing to refuse), then decoding by frame kind, then the protocol's
 * validation. Never throws for a bad frame: anything wrong becomes an `invalid` event with a
 * short code (`too_large`, `bad_json`, `bad_msgpack`, or the protocol's own). This is the
 * connection's hot path: with an adapter that has `decodeInto` (tickwire's), a frame costs no
 * array and a snapshot or delta no event object.
 */
export function readFrameInto(
  frame: Frame,
  maxMessageBytes: number,
  protocol: ProtocolAdapter,
  codec: Codec | undefined,
  sink: InboundSink,
): void {
  const size = frameSize(frame)
  if (size > maxMessageBytes) {
    return sink.event({
      type: 'invalid',
      code: 'too_large',
      message: `frame of ${size} exceeds maxMessageBytes ${maxMessageBytes}`,
    })
  }
  let decoded: unknown
  try {
    decoded = decoderFor(frame, codec).decode(frame)
  } catch {
    return sink.event({
      type: 'invalid',
      code: typeof frame === 'string' ? 'bad_json' : 'bad_msgpack',
      message: 'frame could not be decoded',
    })
  }
  if (protocol.decodeInto) return protocol.decodeInto(decoded, sink)
  for (const event of protocol.decode(decoded)) {
    if (event.type === 'snapshot' || event.type === 'delta')
      sink.tick(event.type, event.symbol, event.seq, event.ts, event.data)
    else sink.event(event)
  }
}

/**
 * One inbound frame to an array of events: {@link readFrameInto} for callers that want the
 * events as objects (tests, tools, the benchmark's decode-and-validate stage).
 */
export function readFrame(frame: Frame, options: ReadFrameOptions): InboundEvent[] {
  const list = new EventList()
  readFrameInto(frame, options.maxMessageBytes, options.protocol, options.codec, list)
  return list.events
}
