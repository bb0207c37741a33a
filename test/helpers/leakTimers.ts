/**
 * A timer provider for the reliability suites that knows what is still pending, so a test can
 * say "destroy left no timer" about the core's own timers while sockets run on real I/O.
 *
 * With `manualFrames`, frame callbacks wait for `flushFrames()`: a fuzz case can then decide
 * exactly when the store is written, without sleeping.
 */
import { defaultTimers, type TimerHandle, type TimerProvider } from '../../src/core/timers'

export interface LeakTimers extends TimerProvider {
  /** Timeouts, intervals and frame callbacks scheduled and neither fired nor cleared. */
  pending(): number
  /** Every timer or frame ever scheduled (to show the count is not trivially zero). */
  scheduled(): number
  /** Frame callbacks requested so far. */
  frames(): number
  /** Runs the queued frame callbacks (manual frames only); returns how many ran. */
  flushFrames(): number
}

/**
 * The one counting TimerProvider of the test suites (the core, React and reliability helpers
 * all build on it). `base` is the provider underneath, the real one by default.
 */
export function leakTimers(
  options: { manualFrames?: boolean; base?: TimerProvider } = {},
): LeakTimers {
  const base = options.base ?? defaultTimers
  const live = new Set<TimerHandle>()
  let total = 0
  let frames = 0
  let queued: { callback: () => void }[] = []
  const manual = options.manualFrames === true
  return {
    setTimeout(callback, ms) {
      total += 1
      const handle: TimerHandle = base.setTimeout(() => {
        live.delete(handle)
        callback()
      }, ms)
      live.add(handle)
      return handle
    },
    clearTimeout(handle) {
      live.delete(handle)
      base.clearTimeout(handle)
    },
    setInterval(callback, ms) {
      total += 1
      const handle = base.setInterval(callback, ms)
      live.add(handle)
      return handle
    },
    clearInterval(handle) {
      live.delete(handle)
      base.clearInterval(handle)
    },
    now: () => base.now(),
    requestFrame(callback) {
      total += 1
      frames += 1
      if (manual) {
        const entry = { callback }
        queued.push(entry)
        live.add(entry)
        return entry
      }
      const handle: TimerHandle = base.requestFrame(() => {
        live.delete(handle)
        callback()
      })
      live.add(handle)
      return handle
    },
    cancelFrame(handle) {
      live.delete(handle)
      if (manual) {
        queued = queued.filter((entry) => entry !== handle)
        return
      }
      base.cancelFrame(handle)
    },
    pending: () => live.size,
    scheduled: () => total,
    frames: () => frames,
    flushFrames() {
      const run = queued
      queued = []
      for (const entry of run) {
        live.delete(entry)
        entry.callback()
      }
      return run.length
    },
  }
}
