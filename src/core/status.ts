import type { ConnectionInfo, ConnectionStatus } from './types'

/**
 * What a user sees for a connection: the `data-status` values of `ConnectionStatus` and
 * `ConnectionIndicator`, so apps can style and test against them.
 */
export type StatusKind = 'connecting' | 'live' | 'delayed' | 'reconnecting' | 'polling' | 'offline'

/** One record of the status model: how bad a core status is, and how it shows. */
export interface StatusModelEntry {
  /**
   * Rank for "the worst connection": higher is worse. `idle` is the lowest, below `open`: an
   * idle connection is one nobody needs yet (`lazy` with no subscription), so an app whose
   * price feed is open and whose lazy order feed is idle is live, not "connecting".
   */
  severity: number
  /** The visible state (an open connection may still show as `delayed`, see {@link statusKind}). */
  kind: StatusKind
}

/**
 * The one status model: every core status with its severity and visible state. The store's
 * {@link worstStatus}, the hooks and the components all rank and show statuses through it, so
 * `useStream().status` and `<ConnectionStatus />` always pick the same connection.
 *
 * error (gave up) > offline (cannot try) > closed (chose not to) > reconnecting (no data now) >
 * fallback (data, delayed) > connecting (none yet, normal) > open > idle (not needed yet).
 */
export const STATUS_MODEL: Readonly<Record<ConnectionStatus, StatusModelEntry>> = {
  idle: { severity: 0, kind: 'connecting' },
  open: { severity: 1, kind: 'live' },
  connecting: { severity: 2, kind: 'connecting' },
  fallback: { severity: 3, kind: 'polling' },
  reconnecting: { severity: 4, kind: 'reconnecting' },
  closed: { severity: 5, kind: 'offline' },
  offline: { severity: 6, kind: 'offline' },
  error: { severity: 7, kind: 'offline' },
}

/** {@link STATUS_MODEL}'s severities alone, for callers that only rank. */
export const STATUS_SEVERITY: Readonly<Record<ConnectionStatus, number>> = Object.freeze(
  Object.fromEntries(
    Object.entries(STATUS_MODEL).map(([status, entry]) => [status, entry.severity]),
  ) as Record<ConnectionStatus, number>,
)

/** Every visible state, in the order the matrix story and the docs list them. */
export const STATUS_KINDS: readonly StatusKind[] = [
  'connecting',
  'live',
  'delayed',
  'reconnecting',
  'polling',
  'offline',
]

/** The text shown for each visible state. */
export const STATUS_LABELS: Readonly<Record<StatusKind, string>> = {
  connecting: 'Connecting',
  live: 'Live',
  delayed: 'Delayed',
  reconnecting: 'Reconnecting',
  polling: 'Polling',
  offline: 'Offline',
}

/**
 * Rank of visible states among connections of equal severity (two open connections, one of
 * them slow: the slow one is shown).
 */
const KIND_RANK: Readonly<Record<StatusKind, number>> = {
  live: 0,
  delayed: 1,
  connecting: 2,
  polling: 3,
  reconnecting: 4,
  offline: 5,
}

/** What {@link statusKind} needs besides the connection info. */
export interface StatusKindOptions {
  /** Latency above which an open connection is Delayed. @defaultValue 1000 in the components */
  delayedAfterMs: number
  /** True when a price served by the connection is stale. */
  stale: boolean
}

/**
 * The visible state of a connection: its {@link STATUS_MODEL} kind, with two refinements an open
 * connection can have (slow pings or stale prices make it Delayed) and one a reconnecting
 * connection can have (still polling REST, so still Polling).
 */
export function statusKind(
  info: Pick<ConnectionInfo, 'status' | 'latencyMs' | 'fallback'>,
  options: StatusKindOptions,
): StatusKind {
  if (info.status === 'reconnecting' && info.fallback.active) return 'polling'
  const kind = STATUS_MODEL[info.status].kind
  if (kind !== 'live') return kind
  const slow = info.latencyMs !== undefined && info.latencyMs > options.delayedAfterMs
  return slow || options.stale ? 'delayed' : 'live'
}

/**
 * Whether connection `b` is worse than `a`: by {@link STATUS_MODEL} severity first, then by
 * the visible state among equals.
 */
export function isWorse(
  a: { status: ConnectionStatus; kind: StatusKind },
  b: { status: ConnectionStatus; kind: StatusKind },
): boolean {
  const bySeverity = STATUS_MODEL[b.status].severity - STATUS_MODEL[a.status].severity
  return bySeverity !== 0 ? bySeverity > 0 : KIND_RANK[b.kind] > KIND_RANK[a.kind]
}

/**
 * The worst status across connections by {@link STATUS_MODEL} severity; `idle` when there are
 * none. Used for the app-wide status (`useStream().status`).
 */
export function worstStatus(connections: Record<string, ConnectionInfo>): ConnectionStatus {
  let worst: ConnectionStatus | null = null
  for (const name in connections) {
    const info = connections[name]
    if (info && (worst === null || STATUS_SEVERITY[info.status] > STATUS_SEVERITY[worst]))
      worst = info.status
  }
  return worst ?? 'idle'
}
