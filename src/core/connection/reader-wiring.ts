/**
 * The inbound reader of one connection (connection.ts), wired to what each kind of inbound
 * event does to the connection: ticks and data to the manager, latency into the info, errors
 * reported, server closes ending the socket.
 */
import type { ServerOutcome } from '../protocols/outcomes'
import type { TimerProvider } from '../timers'
import type { ConnectionInfo, StreamErrorEvent } from '../types'
import { smoothLatency } from './heartbeat'
import { createInboundReader, type InboundReader } from './inbound'
import type { ResolvedConnectionConfig } from './resolve-options'
import type { SocketSession } from './socket-session'
import type { ConnectionCallbacks } from './types'

/** What the reader of a connection needs of it. */
export interface ReaderWiring {
  cfg: ResolvedConnectionConfig
  timers: TimerProvider
  info: ConnectionInfo
  callbacks: ConnectionCallbacks
  emitError(event: Omit<StreamErrorEvent, 'connection'>): void
  changed(): void
  /** The open socket's session, if any. */
  session(): SocketSession | null
  markHealthy(): void
  onClose(outcome: ServerOutcome, reason: string, closeWith?: number): void
}

/** Creates the connection's inbound reader with its handlers. */
export function createConnectionReader(w: ReaderWiring): InboundReader {
  const { info, callbacks, emitError } = w
  return createInboundReader({
    protocol: w.cfg.protocol,
    maxMessageBytes: w.cfg.maxMessageBytes,
    now: () => w.timers.now(),
    stats: info.stats,
    handlers: {
      tick: callbacks.onTick,
      healthy: () => w.markHealthy(),
      latency(ms) {
        info.latencyMs = ms
        info.avgLatencyMs = smoothLatency(info.avgLatencyMs, ms)
        w.changed() // shown (status pill, tooltip): not a counter, so it goes out at the next frame
      },
      adviseInterval: (ms) => w.session()?.adviseInterval(ms),
      message: (message, at) => callbacks.onData({ type: 'message', message }, at),
      invalid: (code, message) => emitError({ kind: 'invalid_frame', code, message }),
      symbolsRefused(error, symbols, at) {
        // Not subscribed any more on this socket: a later want must subscribe it afresh.
        w.session()?.forget(symbols)
        const { code, message } = error
        callbacks.onData({ type: 'symbol_error', code, message, symbols }, at)
      },
      holdFor: (ms) => w.session()?.holdFor(ms),
      report: ({ code, message, symbols }) =>
        emitError({ kind: 'server_error', code, message, ...(symbols ? { symbols } : {}) }),
      endSocket: (outcome) =>
        w.onClose(outcome, `server_close:${outcome.closeCode ?? outcome.type}`, 1000),
    },
  })
}
