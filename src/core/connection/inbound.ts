import type { Codec, Frame } from '../codecs/types'
import { tickwireErrorOutcome, type ServerError, type ServerOutcome } from '../protocols/outcomes'
import type { InboundEvent, InboundSink, ProtocolAdapter, TickData } from '../protocols/types'
import type { ConnectionStats } from '../types'
import { frameSize, readFrameInto } from './read-frame'
import { actOnServerError } from './server-error'

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
  /** The server refused these symbols (no longer subscribed on this socket). */
  symbolsRefused(error: ServerError, symbols: string[], receivedAt: number): void
  /** The server limits our rate: hold every frame but pings for `ms`. */
  holdFor(ms: number): void
  /** A server error with no meaning of its own (counted in `stats.errors` already). */
  report(error: ServerError): void
  /** The server ends this socket (a refused token, for one): as if it had closed it. */
  endSocket(outcome: Extract<ServerOutcome, { closeCode?: number }>): void
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
   * A new socket (or none): frames of older sockets are ignored from now on, even the rest of
   * the frame being read (an `unauthorized` error ends its socket mid-frame), and the new
   * socket has not proved healthy yet.
   */
  socketChanged(generation: number): void
  /**
   * One frame of the socket of generation `gen`, read with `codec` (an adapter's own encoding;
   * absent for JSON and MessagePack).
   */
  read(frame: Frame, codec: Codec | undefined, gen: number): void
}

/** Creates the reader; one sink object serves every frame of the connection's life. */
export function createInboundReader(options: InboundReaderOptions): InboundReader {
  const { protocol, stats, handlers } = options
  const errorOutcome = protocol.errorOutcome ?? tickwireErrorOutcome
  // The frame being read: its receive time and socket generation, set once per frame rather
  // than captured in a closure per frame or message.
  let frameAt = 0
  let frameGen = -1
  let liveGen = -1
  // Whether the live socket was reported healthy: checked per message, reported once.
  let healthy = false

  function markHealthy(): void {
    if (healthy) return
    healthy = true
    handlers.healthy()
  }

  function onEvent(event: InboundEvent, receivedAt: number): void {
    switch (event.type) {
      case 'invalid':
        stats.invalid += 1
        return handlers.invalid(event.code, event.message)
      case 'pong': {
        markHealthy()
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
        return actOnServerError(handlers, stats, event, errorOutcome(event), receivedAt)
      case 'message':
        markHealthy()
        return handlers.message(event.message, receivedAt)
      default:
        // Snapshots and deltas reach the sink's `tick`, never this switch.
        return
    }
  }

  const sink: InboundSink = {
    tick(type, symbol, seq, ts, data) {
      if (frameGen !== liveGen) return
      if (!healthy) markHealthy()
      handlers.tick(type, symbol, seq, ts, data, frameAt)
    },
    event(event) {
      if (frameGen === liveGen) onEvent(event, frameAt)
    },
  }

  return {
    socketChanged(generation) {
      liveGen = generation
      healthy = false
    },
    read(frame, codec, gen) {
      // One clock read per frame: every message of a batch shares the frame's receive time.
      const now = options.now()
      stats.messagesIn += 1
      stats.bytesIn += frameSize(frame)
      stats.lastMessageAt = now
      // Saved and restored: a listener may make a frame arrive inside this one (a loopback).
      const outerAt = frameAt
      const outerGen = frameGen
      frameAt = now
      frameGen = gen
      readFrameInto(frame, options.maxMessageBytes, protocol, codec, sink)
      frameAt = outerAt
      frameGen = outerGen
    },
  }
}
