/**
 * Every timer in the core goes through a provider, so tests can count pending timers and
 * fake timers see them, and a worker can supply its own. The default calls the globals
 * through wrapper functions, looked up at call time, so `vi.useFakeTimers()` installed after
 * import still takes effect.
 */
export type TimerHandle = unknown

/** Timers, clock and frame callback the core uses. */
export interface TimerProvider {
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
  setInterval(callback: () => void, ms: number): TimerHandle
  clearInterval(handle: TimerHandle): void
  /** Wall clock in ms since the epoch. */
  now(): number
  /**
   * Runs `callback` before the next paint: requestAnimationFrame where it exists, a 16 ms
   * timeout elsewhere (Node, workers, background tabs).
   */
  requestFrame(callback: () => void): TimerHandle
  cancelFrame(handle: TimerHandle): void
}

type RafHandle = { raf: number } | { timeout: unknown }

/** The default provider, on the host's globals. */
export const defaultTimers: TimerProvider = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
  now: () => Date.now(),
  requestFrame(callback): RafHandle {
    if (typeof globalThis.requestAnimationFrame === 'function') {
      return { raf: globalThis.requestAnimationFrame(() => callback()) }
    }
    return { timeout: globalThis.setTimeout(callback, 16) }
  },
  cancelFrame(handle) {
    const h = handle as RafHandle
    if ('raf' in h) globalThis.cancelAnimationFrame(h.raf)
    else globalThis.clearTimeout(h.timeout as ReturnType<typeof setTimeout>)
  },
}
