import type { TimerProvider } from '../timers'
import type { PriceTick } from '../types'
import type { StreamDiff } from './diff'
import type { FrameClock } from './frame-clock'

/**
 * The per-symbol throttle of the frame scheduler: which symbols changed since their last
 * write, which must go at the next frame whatever their window, and when each was last
 * written. Leading and trailing: the first change after quiet goes at the next frame, the
 * latest of the rest when the window ends.
 */
export interface PriceThrottle {
  /** A symbol's data changed. O(1), allocates nothing. */
  mark(symbol: string, throttleMs: number): void
  /** A symbol's shown state changed outside the data: next frame. */
  markNow(symbol: string): void
  /** Forgets a symbol's window and pending marks. */
  forget(symbol: string): void
  /** Whether throttled symbols wait for their window. */
  waiting(): boolean
  /**
   * Writes the ticks due at `now` into `diff.prices`; returns whether any was written, and
   * lowers `next.due` to when the first symbol still waiting is due.
   */
  collect(
    diff: StreamDiff,
    now: number,
    throttleMs: number,
    price: (symbol: string) => PriceTick | null | undefined,
    next: { due: number },
  ): boolean
  clear(): void
}

/** Creates the throttle; it asks `clock` for the frames and wake-ups its marks need. */
export function createPriceThrottle(timers: TimerProvider, clock: FrameClock): PriceThrottle {
  /** Throttled symbols with a change not yet written. */
  const dirty = new Set<string>()
  /** Symbols to write at the next frame whatever their window. */
  const immediate = new Set<string>()
  /** When each symbol was last written, for its throttle window. */
  const lastWritten = new Map<string, number>()

  return {
    mark(symbol, throttleMs) {
      if (dirty.has(symbol)) return
      dirty.add(symbol)
      const last = lastWritten.get(symbol)
      const now = last === undefined || throttleMs <= 0 ? 0 : timers.now()
      // Within its window the symbol waits for the wake-up; after quiet it goes next frame.
      if (last !== undefined && throttleMs > 0 && now - last < throttleMs)
        clock.wakeAt(last + throttleMs, now)
      else clock.request()
    },
    markNow(symbol) {
      immediate.add(symbol)
      clock.request()
    },
    forget(symbol) {
      dirty.delete(symbol)
      immediate.delete(symbol)
      lastWritten.delete(symbol)
    },
    waiting: () => dirty.size > 0,
    collect(diff, now, throttleMs, price, next) {
      let changed = false
      /** Moves `symbol` from waiting into the diff, with its write time. */
      const emit = (symbol: string): void => {
        dirty.delete(symbol)
        const tick = price(symbol)
        if (tick === undefined) return
        diff.prices[symbol] = tick
        lastWritten.set(symbol, now)
        changed = true
      }
      for (const symbol of immediate) emit(symbol)
      immediate.clear()
      for (const symbol of dirty) {
        const last = lastWritten.get(symbol)
        if (throttleMs > 0 && last !== undefined && now - last < throttleMs) {
          next.due = Math.min(next.due, last + throttleMs)
          continue
        }
        emit(symbol)
      }
      return changed
    },
    clear() {
      dirty.clear()
      immediate.clear()
      lastWritten.clear()
    },
  }
}
