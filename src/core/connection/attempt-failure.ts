/**
 * How a socket of one connection ends badly, and what each end means for the next attempt:
 * an attempt that never opened, a socket the server closed or ended with an error (as its
 * protocol adapter classifies it, protocols/outcomes.ts), and a socket gone silent.
 */
import { DEFAULTS } from '../config'
import type { ServerOutcome } from '../protocols/outcomes'
import {
  activateFallback,
  clearRetry,
  emitError,
  halted,
  setStatus,
  type ConnectionCore,
} from './connection-core'
import type { ScheduleReconnect } from './reconnect-schedule'
import type { SocketSlot } from './socket-slot'

/** Close code the client uses for a socket it declares stale (PROTOCOL.md section 4). */
export const STALE_CLOSE_CODE = 4000

/** Why an attempt failed before its socket opened (socket-attempt.ts). */
export type AttemptFailureReason = 'auth' | 'no_websocket' | 'open_timeout'

/** The ways a socket of the moment ends badly. */
export interface AttemptFailure {
  /** The attempt failed before a socket opened. */
  failed(reason: AttemptFailureReason): void
  /**
   * The socket ended: the server closed it, or said in a frame that it ends it (then
   * `closeWith` is the code this side closes with).
   */
  ended(outcome: ServerOutcome, reason: string, closeWith?: number): void
  /** Silence past `staleTimeoutMs`. */
  stale(): void
}

/** Creates the handling of bad ends for one connection. */
export function createAttemptFailure(
  core: ConnectionCore,
  slot: SocketSlot,
  scheduleReconnect: ScheduleReconnect,
): AttemptFailure {
  const { info, retry } = core
  return {
    failed(reason) {
      retry.failed()
      if (reason === 'open_timeout') slot.drop(STALE_CLOSE_CODE, 'open_timeout')
      else {
        slot.drop()
        info.stats.errors += 1
        // Never the provider's text: it may hold the token or a secret.
        if (reason === 'auth')
          emitError(core, { kind: 'auth', message: 'the token provider failed' })
        else {
          const message = `no ${core.cfg.transport.name} could be made`
          emitError(core, { kind: 'transport', code: 'no_websocket', message })
          activateFallback(core, 'no_websocket')
        }
      }
      scheduleReconnect(reason)
    },
    ended(outcome, reason, closeWith) {
      const wasOpen = core.socket.session !== null
      slot.drop(closeWith)
      if (halted(core)) return
      if (!wasOpen) retry.failed()
      if (outcome.type === 'unauthorized' && retry.refused()) return refusedForGood(core)
      if (outcome.type === 'overloaded') retry.overloaded()
      scheduleReconnect(reason)
    },
    stale() {
      // close() detaches at once: a half-open socket never completes the closing handshake.
      slot.drop(STALE_CLOSE_CODE, 'stale')
      scheduleReconnect('stale')
    },
  }
}

/** The token was refused `unauthorizedCloseLimit` times in a row: no more attempts. */
function refusedForGood(core: ConnectionCore): void {
  emitError(core, {
    kind: 'auth',
    code: 'unauthorized',
    message: `the server refused the token ${DEFAULTS.unauthorizedCloseLimit} times in a row`,
  })
  clearRetry(core)
  setStatus(core, 'error', 'unauthorized')
}
