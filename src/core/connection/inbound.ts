import type { Codec, Frame } from '../codecs/types'
import { tickwireErrorOutcome, type ServerError, type ServerOutcome } from '../protocols/outcomes'
import type { InboundEvent, InboundSink, ProtocolAdapter, TickData } from '../protocols/types'
import type { ConnectionStats } from '../types'
import { frameSize, readFrameInto } from './read-frame'

/** What the inbound side hands to its connection, already judged. */
export interface InboundHandlers {
  /** A valid snapshot or delta (hot path: arguments, no event object). */
  tick(
    type: 'snapshot' | 'delta',
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: TickData,
    receivedAt: number,
  ): void
  /** The socket carried data or a pong: it is healthy (PROTOCOL.md section 4). */
  healthy(): void
  /** A pong's round trip in ms. */
  latency(ms: number): void
  /** The server advises a ping spacing (`welcome.heartbeatMs`). */
  adviseInterval(ms: number): void
  /** An application message (a type the protocol does not handle). */
  message(message: unknown, receivedAt: number): void
  /** An invalid frame or message (counted by the reader already). */
  invalid(code: string, message: string): void
  /** A server error, with what the protocol adapter says it means. */
  serverError(error: ServerError, outcome: ServerOutcome, receivedAt: number): void
}

/** What {@link createInboundReader} needs. */
export interface InboundReaderOptions {
  protocol: ProtocolAdapter
  maxMessageBytes: number
  now(): number
  /** The connection's statistics: frames, bytes and invalid messages are counted here. */
  stats: ConnectionStats
  handlers: InboundHandlers
}

/** Reads the frames of one connection's sockets. */
export interface InboundReader {
  /**
   * One frame of the socket of generation `gen`, read with `codec` (an adapter's own encoding;
   * absent for JSON and MessagePack). Messages after the socket was replaced (an `unauthorized`
   * error ends it mid-frame) are not handed on: `current()` tells the live generation.
   */
  read(frame: Frame, codec: Codec | undefined, gen: number, current: () => number): void
}

/** Creates the reader; one sink object serves every frame of the connection's life. */
export function createInboundReader(options: InboundReaderOptions): InboundReader {
  const { protocol, stats, handlers } = options
  const errorOutcome = protocol.errorOutcome ?? tickwireErrorOutcome
  // The frame being read: its receive time and socket generation, set once per frame rather
  // than captured in a closure per frame or message.
  let frameAt = 0
  let frameGen = -1
  let live: () => number = () => -1

  function onEvent(event: InboundEvent, receivedAt: number): void {
    switch (event.type) {
      case 'invalid':
        stats.invalid += 1
        return handlers.invalid(event.code, event.message)
      case 'pong': {
        handlers.healthy()
        const latency = options.now() - event.ts
        if (latency >= 0 && Number.isFinite(latency)) handlers.latency(latency)
        return
      }
      case 'welcome':
        // A greeting is not health: a server may greet before it checks the token.
        if (event.heartbeatMs !== undefined) handlers.adviseInterval(event.heartbeatMs)
        return
      case 'ack':
        return
      case 'error':
        return handlers.serverError(event, errorOutcome(event), receivedAt)
      case 'message':
        handlers.healthy()
        return handlers.message(event.message, receivedAt)
      default:
        // Snapshots and deltas reach the sink's `tick`, never this switch.
        return
    }
  }

  const sink: InboundSink = {
    tick(type, symbol, seq, ts, data) {
      if (frameGen !== live()) return
      handlers.healthy()
      handlers.tick(type, symbol, seq, ts, data, frameAt)
    },
    event(event) {
      if (frameGen === live()) onEvent(event, frameAt)
    },
  }

  return {
    read(frame, codec, gen, current) {
      // One clock read per frame: every message of a batch shares the frame's receive time.
      const now = options.now()
      stats.messagesIn += 1
      stats.bytesIn += frameSize(frame)
      stats.lastMessageAt = now
      // Saved and restored: a listener may make a frame arrive inside this one (a loopback).
      const outerAt = frameAt
      const outerGen = frameGen
      const outerLive = live
      frameAt = now
      frameGen = gen
      live = current
      readFrameInto(frame, options.maxMessageBytes, protocol, codec, sink)
      frameAt = outerAt
      frameGen = outerGen
      live = outerLive
    },
  }
}
