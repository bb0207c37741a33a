import { defaultTimers, type TimerHandle, type TimerProvider } from '../../src/core/timers'

/** A TimerProvider that counts what is pending, on top of another (the default by default). */
export interface CountingTimers {
  readonly provider: TimerProvider
  /** Timeouts, intervals and frames scheduled and neither run nor cleared. */
  readonly pending: number
  /** Frames requested so far. */
  readonly frames: number
}

/** Wraps `base` so a test can check that nothing is left pending (destroy, unmount). */
export function countingTimers(base: TimerProvider = defaultTimers): CountingTimers {
  const pending = new Set<TimerHandle>()
  let frames = 0
  const provider: TimerProvider = {
    setTimeout(callback, ms) {
      const handle: TimerHandle = base.setTimeout(() => {
        pending.delete(handle)
        callback()
      }, ms)
      pending.add(handle)
      return handle
    },
    clearTimeout(handle) {
      pending.delete(handle)
      base.clearTimeout(handle)
    },
    setInterval(callback, ms) {
      const handle = base.setInterval(callback, ms)
      pending.add(handle)
      return handle
    },
    clearInterval(handle) {
      pending.delete(handle)
      base.clearInterval(handle)
    },
    now: () => base.now(),
    requestFrame(callback) {
      frames += 1
      const handle: TimerHandle = base.requestFrame(() => {
        pending.delete(handle)
        callback()
      })
      pending.add(handle)
      return handle
    },
    cancelFrame(handle) {
      pending.delete(handle)
      base.cancelFrame(handle)
    },
  }
  return {
    provider,
    get pending() {
      return pending.size
    },
    get frames() {
      return frames
    },
  }
}
