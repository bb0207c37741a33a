import type { Encoding } from '../codecs/types'
import type { ServerError, ServerOutcome } from './outcomes'

/** Data of a snapshot or delta: finite-number price fields plus any other keys. */
export type TickData = Record<string, unknown>

/**
 * What a protocol adapter makes of one decoded inbound message. The connection handles
 * `welcome`, `pong`, `invalid` and the connection-level errors itself and hands the rest to
 * the manager.
 */
export type InboundEvent =
  | { type: 'snapshot'; symbol: string; seq: number; ts?: number; data: TickData }
  | { type: 'delta'; symbol: string; seq: number; ts?: number; data: TickData }
  | { type: 'pong'; ts: number }
  | { type: 'welcome'; heartbeatMs?: number; serverTime?: number }
  | {
      type: 'error'
      code: string
      message: string
      symbols?: string[]
      /** Seconds, for `rate_limited`. */
      retryAfter?: number
      id?: number
    }
  /** An acknowledgement of an outbound frame by id (exchange protocols). */
  | { type: 'ack'; id: number }
  /** A message of a type the protocol does not handle: handed to `message` listeners. */
  | { type: 'message'; message: unknown }
  /** A message that breaks the protocol; `code` is short (`bad_type`, `bad_symbol`, ...). */
  | { type: 'invalid'; code: string; message: string }

/**
 * Receives what a protocol adapter decodes, one call per message, for adapters that implement
 * {@link ProtocolAdapter.decodeInto}. Snapshots and deltas come as arguments, so the hot path
 * allocates no event object and no array per frame; everything else comes as an event.
 */
export interface InboundSink {
  /** A valid snapshot or delta; `ts` is undefined when the message had none. */
  tick(
    type: 'snapshot' | 'delta',
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: TickData,
  ): void
  /** Any other event (`invalid` included). */
  event(event: InboundEvent): void
}

/**
 * The only place that knows a wire format. `tickwireProtocol()` implements PROTOCOL.md; an
 * adapter for another server maps its frames onto the same events.
 */
export interface ProtocolAdapter {
  readonly name: string
  /** WebSocket subprotocols to offer for an encoding, most preferred first ([] for none). */
  subprotocols(encoding: Encoding): string[]
  /** Most symbols one subscribe, unsubscribe or resync frame may carry. */
  readonly maxSymbolsPerFrame: number
  /** Most frames the server accepts per second; outbound frames are paced to it. */
  readonly maxFramesPerSecond?: number
  /** Most symbols one connection may hold. */
  readonly maxSymbolsPerConnection?: number
  /** The auth frame for a token, or null when the protocol has none. */
  auth(token: string): unknown
  subscribe(symbols: readonly string[], id: number): unknown
  unsubscribe(symbols: readonly string[], id: number): unknown
  /** A resync request, or null when the protocol cannot ask for snapshots. */
  resync(symbols: readonly string[]): unknown
  /** A heartbeat ping, or null when the protocol has none (then staleness alone watches). */
  ping(ts: number): unknown
  /**
   * Turns one decoded message into events. Never throws: anything malformed becomes an
   * `invalid` event. A `batch` becomes several events, each judged alone.
   */
  decode(message: unknown): InboundEvent[]
  /**
   * Optional fast path with exactly the events `decode` would give, in the same order, handed
   * to `sink` one by one instead of returned in an array. The connection uses it when present.
   * Never throws for a malformed message; an exception thrown by the sink itself propagates.
   */
  decodeInto?(message: unknown, sink: InboundSink): void
  /**
   * What a close code of the server means (a refused token, an overloaded server, a drop).
   * @defaultValue the tickwire protocol's: 4401 unauthorized, 4429 overloaded, else a drop
   */
  closeOutcome?(code: number): ServerOutcome
  /**
   * What a server `error` means (a refused token, a rate limit, refused symbols, or a report).
   * @defaultValue the tickwire protocol's: `unauthorized`, `rate_limited`, `unknown_symbol`
   */
  errorOutcome?(error: ServerError): ServerOutcome
}
