import type { TimerHandle, TimerProvider } from '../timers'
import type { ConnectionInfo, PriceTick, SymbolError } from '../types'
import { emptyDiff, type StreamDiff } from './diff'

export type { StreamDiff } from './diff'

/**
 * A connection whose traffic counters alone changed (frames and bytes in and out,
 * `lastMessageAt`) is written to the store at most once per this many ms, leading and
 * trailing like the price throttle. Counters move with every frame; copying the info into the
 * store per animation frame would re-render every `useConnectionStatus` user 60 times a second
 * while data flows. Four writes a second keep a stats tooltip live and the indicator's pulse
 * (one per 800 ms at most) beating. Changes a UI reads as state (status, reason, attempt,
 * retry time, latency, fallback) are not counters: they go out at the next frame, and carry
 * the counters of that moment with them.
 */
export const COUNTERS_INTERVAL_MS = 250

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
 * Creates the frame scheduler. One frame callback is pending at most (`timers.requestFrame`:
 * requestAnimationFrame in browsers, a 16 ms timeout elsewhere), plus one wake-up timer while
 * throttled symbols wait for their window to end.
 */
export function createFrameScheduler(options: FrameSchedulerOptions): FrameScheduler {
  const { timers, collect, apply } = options
  let throttleMs = options.throttleMs
  /** Throttled symbols with a change not yet written. */
  const dirty = new Set<string>()
  /** Symbols to write at the next frame whatever their window. */
  const immediate = new Set<string>()
  const connections = new Set<string>()
  /** Connections whose counters alone changed, waiting for their interval. */
  const counters = new Set<string>()
  /** When each connection's info was last written, for the counters' interval. */
  const connectionWritten = new Map<string, number>()
  const errors = new Set<string>()
  /** When each symbol was last written, for its throttle window. */
  const lastWritten = new Map<string, number>()
  let frame: TimerHandle | null = null
  let wake: TimerHandle | null = null
  let wakeAt = Infinity
  let destroyed = false

  function requestFrame(): void {
    if (frame === null && !destroyed) frame = timers.requestFrame(onFrame)
  }

  function onFrame(): void {
    frame = null
    flush()
  }

  function scheduleWake(at: number, now: number): void {
    if (wake !== null) {
      if (wakeAt <= at) return
      timers.clearTimeout(wake)
    }
    wakeAt = at
    wake = timers.setTimeout(
      () => {
        wake = null
        wakeAt = Infinity
        requestFrame()
      },
      Math.max(0, at - now),
    )
  }

  function flush(): void {
    if (destroyed) return
    if (frame !== null) {
      timers.cancelFrame(frame)
      frame = null
    }
    const now = timers.now()
    const diff = emptyDiff()
    let changed = false

    for (const symbol of immediate) {
      dirty.delete(symbol)
      const tick = collect.price(symbol)
      if (tick === undefined) continue
      diff.prices[symbol] = tick
      lastWritten.set(symbol, now)
      changed = true
    }
    immediate.clear()

    let nextDue = Infinity
    for (const symbol of dirty) {
      const last = lastWritten.get(symbol)
      if (throttleMs > 0 && last !== undefined && now - last < throttleMs) {
        nextDue = Math.min(nextDue, last + throttleMs)
        continue
      }
      dirty.delete(symbol)
      const tick = collect.price(symbol)
      if (tick === undefined) continue
      diff.prices[symbol] = tick
      lastWritten.set(symbol, now)
      changed = true
    }

    // Status, reason, latency: at this frame. Counters alone: at most every COUNTERS_INTERVAL_MS.
    const writeConnection = (name: string): void => {
      counters.delete(name)
      const info = collect.connection(name)
      if (info === undefined) return
      diff.connections[name] = info
      connectionWritten.set(name, now)
      changed = true
    }
    for (const name of connections) writeConnection(name)
    connections.clear()

    for (const name of counters) {
      const last = connectionWritten.get(name)
      if (last !== undefined && now - last < COUNTERS_INTERVAL_MS) {
        nextDue = Math.min(nextDue, last + COUNTERS_INTERVAL_MS)
        continue
      }
      writeConnection(name)
    }

    for (const symbol of errors) {
      diff.symbolErrors[symbol] = collect.symbolError(symbol)
      changed = true
    }
    errors.clear()

    if (changed) apply(diff)
    if (nextDue !== Infinity) scheduleWake(nextDue, now)
  }

  return {
    markPrice(symbol) {
      if (destroyed || dirty.has(symbol)) return
      dirty.add(symbol)
      const last = lastWritten.get(symbol)
      const now = last === undefined || throttleMs <= 0 ? 0 : timers.now()
      // Within its window the symbol waits for the wake-up; after quiet it goes next frame.
      if (last !== undefined && throttleMs > 0 && now - last < throttleMs) {
        scheduleWake(last + throttleMs, now)
      } else {
        requestFrame()
      }
    },
    markPriceNow(symbol) {
      if (destroyed) return
      immediate.add(symbol)
      requestFrame()
    },
    markConnection(name) {
      if (destroyed) return
      connections.add(name)
      requestFrame()
    },
    markConnectionCounters(name) {
      if (destroyed || connections.has(name) || counters.has(name)) return
      counters.add(name)
      const last = connectionWritten.get(name)
      const now = last === undefined ? 0 : timers.now()
      if (last !== undefined && now - last < COUNTERS_INTERVAL_MS)
        scheduleWake(last + COUNTERS_INTERVAL_MS, now)
      else requestFrame()
    },
    markSymbolError(symbol) {
      if (destroyed) return
      errors.add(symbol)
      requestFrame()
    },
    forget(symbol) {
      dirty.delete(symbol)
      immediate.delete(symbol)
      lastWritten.delete(symbol)
    },
    setThrottle(ms) {
      throttleMs = ms
      // Symbols waiting for the old window may be due now (a shorter one, or none).
      if (dirty.size > 0) requestFrame()
    },
    flush,
    destroy() {
      destroyed = true
      if (frame !== null) timers.cancelFrame(frame)
      if (wake !== null) timers.clearTimeout(wake)
      frame = null
      wake = null
      dirty.clear()
      immediate.clear()
      connections.clear()
      counters.clear()
      connectionWritten.clear()
      errors.clear()
      lastWritten.clear()
    },
  }
}
