import { DEFAULTS } from '../config'
import { backoffDelay } from './backoff'
import type { ResolvedConnectionConfig } from './resolve-options'

/**
 * The counters behind reconnect decisions (PROTOCOL.md section 4). A socket that opens is not
 * yet a success: the backoff and the count of refused tokens reset only once a socket proves
 * healthy (it carried a data frame or a pong, or stayed open for `DEFAULTS.healthyAfterMs`).
 * Otherwise a server that greets every socket and then refuses its token would be retried at
 * the first delay for ever.
 */
export interface RetryPolicy {
  /** Attempts in a row that failed before opening; REST fallback starts at `fallbackAfterFailures`. */
  readonly failures: number
  /** An attempt failed before its socket opened. */
  failed(): void
  /** A socket opened: failures reset, an overloaded server's long wait is served. */
  opened(): void
  /** The socket proved healthy: the backoff and refused tokens are forgiven. */
  healthy(): void
  /** The token was refused; true when that makes `unauthorizedCloseLimit` in a row. */
  refused(): boolean
  /** The server has too many connections: the next wait is the longest. */
  overloaded(): void
  /** An attempt is being made. */
  attempt(): void
  /** Whether `reconnect.maxAttempts` attempts were made without a healthy socket. */
  spent(): boolean
  /** The wait before the next attempt. */
  nextDelay(): number
  /** A manual reconnect: everything is forgiven. */
  forgive(): void
}

/** Creates the policy of one connection. */
export function createRetryPolicy(
  cfg: Pick<ResolvedConnectionConfig, 'reconnect'>,
  random: () => number,
): RetryPolicy {
  let failures = 0
  let retries = 0
  let refusals = 0
  let overload = false
  return {
    get failures() {
      return failures
    },
    failed() {
      failures += 1
    },
    opened() {
      failures = 0
    },
    healthy() {
      retries = 0
      refusals = 0
    },
    refused() {
      refusals += 1
      return refusals >= DEFAULTS.unauthorizedCloseLimit
    },
    overloaded() {
      overload = true
    },
    attempt() {
      retries += 1
    },
    spent: () => retries >= cfg.reconnect.maxAttempts,
    nextDelay() {
      const delay = backoffDelay(retries, cfg.reconnect, random)
      if (!overload) return delay
      // 4429: come back no sooner than the longest wait.
      overload = false
      return Math.max(delay, cfg.reconnect.maxDelayMs * (1 - cfg.reconnect.jitter))
    },
    forgive() {
      retries = 0
      refusals = 0
    },
  }
}
