import type { TimerHandle, TimerProvider } from '../timers'

/**
 * When the frame scheduler runs: one frame callback pending at most (`timers.requestFrame`:
 * requestAnimationFrame in browsers, a 16 ms timeout elsewhere), plus one wake-up timer while
 * throttled entries wait for their window to end, which asks for a frame when it fires.
 */
export interface FrameClock {
  /** Asks for a frame callback, unless one is pending. */
  request(): void
  /** Asks for a frame at `at` (ms on the timers' clock), unless a wake-up is due sooner. */
  wakeAt(at: number, now: number): void
  /** Cancels the pending frame callback (a flush that runs now makes it needless). */
  cancelFrame(): void
  /** Cancels everything; nothing is asked for afterwards. */
  destroy(): void
}

/** Creates the clock; `onFrame` runs at each frame callback. */
export function createFrameClock(timers: TimerProvider, onFrame: () => void): FrameClock {
  let frame: TimerHandle | null = null
  let wake: TimerHandle | null = null
  let wakeAt = Infinity
  let destroyed = false

  function request(): void {
    if (frame !== null || destroyed) return
    frame = timers.requestFrame(() => {
      frame = null
      onFrame()
    })
  }

  return {
    request,
    wakeAt(at, now) {
      if (destroyed) return
      if (wake !== null) {
        if (wakeAt <= at) return
        timers.clearTimeout(wake)
      }
      wakeAt = at
      wake = timers.setTimeout(
        () => {
          wake = null
          wakeAt = Infinity
          request()
        },
        Math.max(0, at - now),
      )
    },
    cancelFrame() {
      if (frame === null) return
      timers.cancelFrame(frame)
      frame = null
    },
    destroy() {
      destroyed = true
      if (frame !== null) timers.cancelFrame(frame)
      if (wake !== null) timers.clearTimeout(wake)
      frame = null
      wake = null
    },
  }
}
