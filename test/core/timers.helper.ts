import { defaultTimers, type TimerProvider } from '../../src/core/timers'
import { leakTimers } from '../helpers/leakTimers'

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
  const timers = leakTimers({ base })
  return {
    provider: timers,
    get pending() {
      return timers.pending()
    },
    get frames() {
      return timers.frames()
    },
  }
}
