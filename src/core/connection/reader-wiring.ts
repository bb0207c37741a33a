/**
 * The inbound reader of one connection (connection.ts), wired to what each kind of inbound
 * event does to the connection: ticks and data to the manager, latency into the info, errors
 * reported, server closes ending the socket.
 */
import type { ServerOutcome } from '../protocols/outcomes'
import { changed, emitError, type ConnectionCore } from './connection-core'
import { smoothLatency } from './heartbeat'
import { createInboundReader, type InboundReader } from './inbound'
import { markHealthy } from './socket-slot'

/** Ends the socket of the moment as the server said (attempt-failure.ts). */
export type EndSocket = (outcome: ServerOutcome, reason: string, closeWith?: number) => void

/** Creates the connection's inbound reader with its handlers. */
export function createConnectionReader(core: ConnectionCore, endSocket: EndSocket): InboundReader {
  const { info, callbacks, socket } = core
  const report = (event: Parameters<typeof emitError>[1]): void => emitError(core, event)
  return createInboundReader({
    protocol: core.cfg.protocol,
    maxMessageBytes: core.cfg.maxMessageBytes,
    now: () => core.timers.now(),
    stats: info.stats,
    handlers: {
      tick: callbacks.onTick,
      healthy: () => markHealthy(core),
      latency(ms) {
        info.latencyMs = ms
        info.avgLatencyMs = smoothLatency(info.avgLatencyMs, ms)
        changed(core) // shown (status pill, tooltip): not a counter, so it goes out at the next frame
      },
      adviseInterval: (ms) => socket.session?.adviseInterval(ms),
      message: (message, at) => callbacks.onData({ type: 'message', message }, at),
      invalid: (code, message) => report({ kind: 'invalid_frame', code, message }),
      symbolsRefused(error, symbols, at) {
        // Not subscribed any more on this socket: a later want must subscribe it afresh.
        socket.session?.forget(symbols)
        const { code, message } = error
        callbacks.onData({ type: 'symbol_error', code, message, symbols }, at)
      },
      holdFor: (ms) => socket.session?.holdFor(ms),
      report: ({ code, message, symbols }) =>
        report({ kind: 'server_error', code, message, ...(symbols ? { symbols } : {}) }),
      endSocket: (outcome) =>
        endSocket(outcome, `server_close:${outcome.closeCode ?? outcome.type}`, 1000),
    },
  })
}
