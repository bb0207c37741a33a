// The visible states, their labels and the mapping from a core status live in the one status
// model (core/status.ts), which the store's worstStatus and the hooks use too.
export { STATUS_KINDS, STATUS_LABELS, statusKind } from '../core/status'
export type { StatusKind, StatusKindOptions } from '../core/status'

/** Latency above which an open connection shows as Delayed, in ms (the `delayedAfterMs` default). */
export const DEFAULT_DELAYED_AFTER_MS = 1000

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

/** Words for the reason codes a user can act on; the raw code stays shown for bug reports. */
const REASON_WORDS: ReadonlyMap<string, string> = new Map([
  ['offline', 'the browser is offline'],
  ['manual', 'disconnected on request'],
  ['max_attempts', 'gave up after too many attempts'],
  ['unauthorized', 'the server refused the credentials'],
  ['stale', 'no data for too long'],
  ['no_websocket', 'WebSocket unavailable'],
  ['failures', 'the socket keeps failing'],
  ['no_symbols', 'nothing subscribed'],
])

/** A reason code in words, with the code kept: `the browser is offline (offline)`. */
export function describeReason(reason: string): string {
  // A Map, not an object: a reason such as `constructor` must not find Object's own.
  const words = REASON_WORDS.get(reason)
  return words === undefined ? reason : `${words} (${reason})`
}
