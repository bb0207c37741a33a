/**
 * What one connection does with the events of its socket of the moment: an open starts a
 * session (socket-session.ts), a frame goes to the inbound reader, a close or failure to
 * attempt-failure.ts. socket-opening.ts lets only the live socket's events through.
 */
import type { Frame } from '../codecs/types'
import { tickwireCloseOutcome } from '../protocols/outcomes'
import type { Transport } from '../transports/types'
import type { WantedDelivery } from '../transports/url-symbols'
import type { AttemptFailure, AttemptFailureReason } from './attempt-failure'
import {
  changed,
  clearRetry,
  emitError,
  halted,
  setStatus,
  type ConnectionCore,
} from './connection-core'
import type { InboundReader } from './inbound'
import { openSessionFor, type SessionContext } from './session-wiring'
import { startHealthTimer } from './socket-slot'

/** The events of the live socket, as socket-opening.ts passes them on. */
export interface AttemptEvents {
  /** The socket opened; `symbols` are those it was made for. */
  opened(
    transport: Transport,
    subprotocol: string,
    token: string | undefined,
    symbols: string[],
  ): void
  frame(frame: Frame): void
  /** The server closed the socket with `code`. */
  closed(code: number): void
  transportError(message: string): void
  failed(reason: AttemptFailureReason): void
}

/** Creates the handling of one connection's socket events. */
export function createAttemptEvents(
  core: ConnectionCore,
  reader: InboundReader,
  delivery: WantedDelivery,
  failure: AttemptFailure,
): AttemptEvents {
  const { cfg, info, socket, callbacks } = core
  const closeOutcome = cfg.protocol.closeOutcome ?? tickwireCloseOutcome
  const sessionContext = sessionContextFor(core, failure)
  return {
    opened(transport, subprotocol, token, symbols) {
      socket.attempt?.settle()
      core.retry.opened()
      clearRetry(core)
      info.attempt = 0
      info.stats.connectedAt = core.timers.now()
      if (info.fallback.active) info.fallback = { active: false }
      startHealthTimer(core)
      const open = openSessionFor(sessionContext, transport, subprotocol)
      socket.session = open
      setStatus(core, 'open')
      open.begin(token, symbols, core.offlineQueue.drain())
      changed(core)
      callbacks.onOpen?.()
      delivery.opened(core.wanted, core.held)
    },
    frame(frame) {
      callbacks.onFrame?.('in', frame)
      // Any frame counts as life, even one that turns out invalid.
      socket.session?.frameReceived()
      const codec = socket.session ? cfg.codecs[socket.session.codecName] : undefined
      reader.read(frame, codec, socket.generation)
      // Only counters changed here; what a UI shows (status, latency) signals on its own.
      callbacks.onInfoChange('counters')
    },
    closed: (code) => failure.ended(closeOutcome(code), `server_close:${code}`),
    transportError(message) {
      info.stats.errors += 1
      emitError(core, { kind: 'transport', message })
      changed(core)
    },
    failed: (reason) => void (halted(core) || failure.failed(reason)),
  }
}

/** What each session of the connection is given (session-wiring.ts). */
function sessionContextFor(core: ConnectionCore, failure: AttemptFailure): SessionContext {
  return {
    cfg: core.cfg,
    timers: core.timers,
    maxPerFrame: core.maxPerFrame,
    twoWay: core.cfg.transport.capabilities.twoWay,
    stats: core.info.stats,
    callbacks: core.callbacks,
    emitError: (event) => emitError(core, event),
    changed: () => changed(core),
    wanted: () => core.wanted,
    held: () => core.held,
    onStale: () => failure.stale(),
  }
}
