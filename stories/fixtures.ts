/**
 * Connection infos for controlled stories and tests: every visible state, with believable
 * statistics, built relative to a given time so countdowns and durations read right.
 */
import { emptyStats } from '../src/core/connection/stats'
import type { ConnectionInfo } from '../src/core/types'
import type { StatusKind } from '../src/components/statusView'

/** A connection info with zeroed counters and the given fields. */
export function connectionInfo(overrides: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    status: 'open',
    attempt: 0,
    fallback: { active: false },
    ...overrides,
    stats: {
      ...emptyStats(),
      ...overrides.stats,
    },
  }
}

const busy = (now: number) => ({
  messagesIn: 18_432,
  messagesOut: 212,
  bytesIn: 2_874_112,
  bytesOut: 9_640,
  dropped: 0,
  invalid: 3,
  reconnects: 2,
  errors: 1,
  lastMessageAt: now - 120,
  connectedAt: now - 754_000,
})

/** One connection info per visible state (and a few variants), as of `now`. */
export function stateFixtures(
  now: number,
): Record<StatusKind | 'gaveUp' | 'closed', ConnectionInfo> {
  const stats = busy(now)
  return {
    connecting: connectionInfo({ status: 'connecting' }),
    live: connectionInfo({ status: 'open', latencyMs: 42, avgLatencyMs: 47, stats }),
    delayed: connectionInfo({ status: 'open', latencyMs: 1_840, avgLatencyMs: 1_210, stats }),
    reconnecting: connectionInfo({
      status: 'reconnecting',
      reason: 'server_close:1006',
      attempt: 2,
      nextRetryAt: now + 7_000,
      latencyMs: 45,
      stats: { ...stats, reconnects: 3 },
    }),
    polling: connectionInfo({
      status: 'fallback',
      reason: 'failures',
      attempt: 4,
      nextRetryAt: now + 15_000,
      fallback: { active: true, reason: 'failures', since: now - 32_000 },
      stats: { ...stats, reconnects: 6 },
    }),
    offline: connectionInfo({
      status: 'offline',
      reason: 'offline',
      stats: { ...stats, dropped: 14 },
    }),
    closed: connectionInfo({ status: 'closed', reason: 'manual', stats }),
    gaveUp: connectionInfo({
      status: 'error',
      reason: 'max_attempts',
      attempt: 100,
      stats: { ...stats, reconnects: 100 },
    }),
  }
}
