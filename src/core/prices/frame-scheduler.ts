import type { TimerProvider } from '../timers'
import type { ConnectionInfo, PriceTick, SymbolError } from '../types'
import { createConnectionMarks } from './connection-marks'
import { emptyDiff, type StreamDiff } from './diff'
import { createFrameClock } from './frame-clock'
import { createPriceThrottle } from './price-throttle'

export type { StreamDiff } from './diff'

export { COUNTERS_INTERVAL_MS } from './connection-marks'

/**
 * Reads the current values when a frame is flushed. Marking is cheap and repeated per message;
 * reading happens once per frame per marked key, which is where the work goes.
 */
export interface FrameCollector {
  /** The tick to show, `null` to remove it, `undefined` to leave the store as it is. */
  price(symbol: string): PriceTick | null | undefined
  connection(name: string): ConnectionInfo | undefined
  /** The error standing for the symbol, or `null` when none. */
  symbolError(symbol: string): SymbolError | null
}

/** Options of {@link createFrameScheduler}. */
export interface FrameSchedulerOptions {
  timers: TimerProvider
  /**
   * Per symbol, the store changes at most once per this many ms (leading and trailing: the
   * first change after quiet goes at the next frame, the latest of the rest when the window
   * ends). 0 turns throttling off.
   * @defaultValue 100 (DEFAULTS.throttleMs, given by the manager)
   */
  throttleMs: number
  collect: FrameCollector
  /** Writes one frame's diff; never called with an empty diff. */
  apply(diff: StreamDiff): void
}

/** Coalesces changes into at most one diff per animation frame, with the per-symbol throttle. */
export interface FrameScheduler {
  /** A symbol's data changed (throttled). Called per message: O(1), allocates nothing. */
  markPrice(symbol: string): void
  /** A symbol's shown state changed outside the data (stale, cache, removal): next frame. */
  markPriceNow(symbol: string): void
  /** A connection's info changed in a way a UI shows: copied at the next frame. */
  markConnection(name: string): void
  /**
   * Only a connection's traffic counters changed: copied at most once per
   * {@link COUNTERS_INTERVAL_MS} (the first change after quiet at the next frame, the latest
   * when the interval ends). Called per inbound frame: O(1), allocates nothing.
   */
  markConnectionCounters(name: string): void
  /** A symbol's error was set or cleared. */
  markSymbolError(symbol: string): void
  /** Forgets a symbol's throttle window and pending marks (it left the store). */
  forget(symbol: string): void
  /** Changes the per-symbol throttle; symbols in their window are due by the new one. */
  setThrottle(ms: number): void
  /** Flushes now what is due (what the frame callback does). */
  flush(): void
  /** Cancels the frame and timer; the instance is inert afterwards. */
  destroy(): void
}

/**
 * Creates the frame scheduler. One frame callback is pending at most, plus one wake-up timer
 * while throttled symbols or counters wait for their window to end (prices/frame-clock.ts);
 * the per-symbol throttle is prices/price-throttle.ts, the connections' marks
 * prices/connection-marks.ts.
 */
export function createFrameScheduler(options: FrameSchedulerOptions): FrameScheduler {
  const { timers, collect, apply } = options
  let throttleMs = options.throttleMs
  let destroyed = false
  const clock = createFrameClock(timers, () => flush())
  const prices = createPriceThrottle(timers, clock)
  const connections = createConnectionMarks(timers, clock)
  const errors = new Set<string>()

  function flush(): void {
    if (destroyed) return
    clock.cancelFrame()
    const now = timers.now()
    const diff = emptyDiff()
    const next = { due: Infinity }
    let changed = prices.collect(diff, now, throttleMs, collect.price, next)
    if (connections.collect(diff, now, collect.connection, next)) changed = true
    for (const symbol of errors) {
      diff.symbolErrors[symbol] = collect.symbolError(symbol)
      changed = true
    }
    errors.clear()
    if (changed) apply(diff)
    if (next.due !== Infinity) clock.wakeAt(next.due, now)
  }

  return {
    markPrice(symbol) {
      if (!destroyed) prices.mark(symbol, throttleMs)
    },
    markPriceNow(symbol) {
      if (!destroyed) prices.markNow(symbol)
    },
    markConnection(name) {
      if (!destroyed) connections.mark(name)
    },
    markConnectionCounters(name) {
      if (!destroyed) connections.markCounters(name)
    },
    markSymbolError(symbol) {
      if (destroyed) return
      errors.add(symbol)
      clock.request()
    },
    forget: (symbol) => prices.forget(symbol),
    setThrottle(ms) {
      throttleMs = ms
      // Symbols waiting for the old window may be due now (a shorter one, or none).
      if (prices.waiting()) clock.request()
    },
    flush,
    destroy() {
      destroyed = true
      clock.destroy()
      prices.clear()
      connections.clear()
      errors.clear()
    },
  }
}
