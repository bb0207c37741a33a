import type { TimerHandle, TimerProvider } from '../timers'
import type { MergeState } from './merge'

/** What the housekeeping timer works on: the price book's state, lent to it. */
export interface HousekeepingOptions {
  timers: TimerProvider
  /** No update for this long marks a symbol stale; 0 or Infinity turns it off. */
  staleAfterMs: number
  merge: MergeState
  /** Symbols no longer wanted whose value is kept until the time given. */
  cacheUntil: ReadonlyMap<string, number>
  /** A cached symbol's time is up: forget it. */
  expire(symbol: string): void
  /** A symbol went stale: show it so. */
  markStale(symbol: string): void
  /** A symbol's resync is due again. */
  resyncDue(symbol: string): void
}

/** The price book's one timer, for stale marks, cache expiry and resync retries. */
export interface Housekeeping {
  /** Whether stale marks are on. */
  readonly staleEnabled: boolean
  /** Runs housekeeping at `at` at the latest (an earlier wake-up stays). */
  wakeBy(at: number): void
  destroy(): void
}

/** Creates the housekeeping timer (not started: the first `wakeBy` sets it). */
export function createHousekeeping(options: HousekeepingOptions): Housekeeping {
  const { timers, staleAfterMs, merge, cacheUntil } = options
  const staleEnabled = staleAfterMs > 0 && Number.isFinite(staleAfterMs)
  const staleGranularityMs = Math.min(1_000, staleAfterMs / 10)
  let timer: TimerHandle | null = null
  let at = Infinity
  let destroyed = false

  function wakeBy(when: number): void {
    if (destroyed || when >= at) return
    if (timer !== null) timers.clearTimeout(timer)
    at = when
    timer = timers.setTimeout(run, Math.max(0, when - timers.now()))
  }

  function staleSweep(now: number): number {
    let next = Infinity
    for (const state of merge.symbols.values()) {
      if (!state.hasSnapshot || state.stale || cacheUntil.has(state.symbol)) continue
      const due = state.receivedAt + staleAfterMs
      if (due <= now) {
        state.stale = true
        options.markStale(state.symbol)
      } else next = Math.min(next, due)
    }
    // A sweep scans every symbol: symbols going quiet one after another must not each cost
    // a sweep, so stale marks may come up to a tenth of staleAfterMs (at most 1 s) late.
    return Math.max(next, now + staleGranularityMs)
  }

  function run(): void {
    timer = null
    at = Infinity
    if (destroyed) return
    const now = timers.now()
    let next = Infinity
    for (const [symbol, until] of cacheUntil) {
      if (until <= now) options.expire(symbol)
      else next = Math.min(next, until)
    }
    if (staleEnabled) next = Math.min(next, staleSweep(now))
    for (const symbol of merge.dueResyncs(now)) options.resyncDue(symbol)
    next = Math.min(next, merge.nextResyncAt())
    if (next !== Infinity) wakeBy(next)
  }

  return {
    staleEnabled,
    wakeBy,
    destroy() {
      destroyed = true
      if (timer !== null) timers.clearTimeout(timer)
      timer = null
    },
  }
}
