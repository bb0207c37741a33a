/**
 * What follows a socket that ended or never opened (PROTOCOL.md section 4): a wait by the
 * backoff, REST fallback after `fallbackAfterFailures`, or a stop (`closed`, `error`,
 * `offline`). The attempt itself is made by socket-opening.ts when the wait is over.
 */
import {
  activateFallback,
  changed,
  clearRetry,
  halted,
  setStatus,
  type ConnectionCore,
} from './connection-core'
import { isOnline } from './environment'

/** Schedules the next attempt of one connection. */
export type ScheduleReconnect = (reason: string) => void

/**
 * Creates the scheduler; `attemptNow` makes the attempt when the wait is over. It is given
 * rather than imported because the attempt's end comes back here: that loop is the
 * connection's life, and this is where it closes.
 */
export function createReconnectSchedule(
  core: ConnectionCore,
  attemptNow: () => void,
): ScheduleReconnect {
  const { cfg, info, retry, timers } = core
  return (reason) => {
    clearRetry(core)
    if (halted(core)) return
    if (retry.failures >= cfg.fallbackAfterFailures) activateFallback(core, 'failures')
    if (!cfg.autoReconnect) return void setStatus(core, 'closed', reason)
    if (retry.spent()) return void setStatus(core, 'error', 'max_attempts')
    if (!isOnline()) return void setStatus(core, 'offline', 'offline')
    const delay = retry.nextDelay()
    info.nextRetryAt = timers.now() + delay
    core.retryTimer = timers.setTimeout(attemptNow, delay)
    if (!setStatus(core, info.fallback.active ? 'fallback' : 'reconnecting', reason)) changed(core)
  }
}
