import type { ConnectionInfo, ConnectionStatus } from '../core/types'

/**
 * What the status components show, one value per visible state. These strings are the
 * `data-status` values of `ConnectionStatus` and `ConnectionIndicator` (API.md), so users can
 * style and test against them.
 */
export type StatusKind = 'connecting' | 'live' | 'delayed' | 'reconnecting' | 'polling' | 'offline'

/** Every visible state, in the order the matrix story and the docs list them. */
export const STATUS_KINDS: readonly StatusKind[] = [
  'connecting',
  'live',
  'delayed',
  'reconnecting',
  'polling',
  'offline',
]

/** The text shown for each state (API.md). */
export const STATUS_LABELS: Readonly<Record<StatusKind, string>> = {
  connecting: 'Connecting',
  live: 'Live',
  delayed: 'Delayed',
  reconnecting: 'Reconnecting',
  polling: 'Polling',
  offline: 'Offline',
}

/** Latency above which an open connection shows as Delayed, in ms (API.md). */
export const DEFAULT_DELAYED_AFTER_MS = 1000

/** What `statusKind` needs to know besides the connection info. */
export interface StatusKindOptions {
  /** Latency above which an open connection is Delayed. */
  delayedAfterMs: number
  /** True when a price served by the connection is stale. */
  stale: boolean
}

/**
 * Maps a connection's core status to the state a user sees.
 * `idle` shows as Connecting because it opens on the first subscription; `closed` and `error`
 * show as Offline with the reason in the tooltip, since for a user all three mean "no data".
 */
export function statusKind(
  info: Pick<ConnectionInfo, 'status' | 'latencyMs' | 'fallback'>,
  options: StatusKindOptions,
): StatusKind {
  const byStatus: Record<ConnectionStatus, StatusKind> = {
    idle: 'connecting',
    connecting: 'connecting',
    open: 'live',
    // A reconnecting connection that polls in the meantime still delivers prices.
    reconnecting: info.fallback.active ? 'polling' : 'reconnecting',
    fallback: 'polling',
    offline: 'offline',
    closed: 'offline',
    error: 'offline',
  }
  const kind = byStatus[info.status]
  if (kind !== 'live') return kind
  const slow = info.latencyMs !== undefined && info.latencyMs > options.delayedAfterMs
  return slow || options.stale ? 'delayed' : 'live'
}

/** Whole seconds until `at`, never below 0; undefined when nothing is scheduled. */
export function secondsUntil(at: number | undefined, now: number): number | undefined {
  if (at === undefined) return undefined
  return Math.max(0, Math.ceil((at - now) / 1000))
}

/** `1.2 KB`-style byte counts for the tooltip (powers of 1024, like browser dev tools). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? 'TB'}`
}

/** `1h 02m 03s`-style durations for the tooltip. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`
  return `${s}s`
}

/** Severity of each visible state, for "worst of all connections". */
const SEVERITY: Readonly<Record<StatusKind, number>> = {
  live: 0,
  delayed: 1,
  connecting: 2,
  polling: 3,
  reconnecting: 4,
  offline: 5,
}

/** The worse of two states (the one a user most needs to know about). */
export function worseKind(a: StatusKind, b: StatusKind): StatusKind {
  return SEVERITY[b] > SEVERITY[a] ? b : a
}
