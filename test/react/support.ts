/**
 * Shared pieces of the React layer's tests: the `ws` WebSocket typed for the config (jsdom's
 * own is broken under Vitest), a timer provider that counts what is pending, and a manual
 * frame clock for tests that must decide when "the next frame" is.
 */
import { WebSocket as NodeWebSocket } from 'ws'
import { defaultTimers, type TimerHandle, type TimerProvider } from '../../src/core/timers'

/** The `ws` client, shaped as the config's constructor type. */
export const WebSocket = NodeWebSocket

/**
 * A timer provider on the real clock that knows how many timers and frames are pending, so a
 * test can say "unmount left no timer" without faking the clock (real sockets need real I/O).
 * With `manualFrames`, frame callbacks wait for `flushFrames()` instead of the next paint.
 */
export {
  leakTimers as countingTimers,
  type LeakTimers as CountingTimers,
} from '../helpers/leakTimers'

/** Subscribe/unsubscribe frames a server socket received, in order. */
export function framesOfType(
  received: readonly unknown[],
  type: string,
): { type: string; symbols: string[] }[] {
  return received.filter(
    (m): m is { type: string; symbols: string[] } =>
      typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type,
  )
}

/** A timer provider whose timeouts and intervals run only when the test advances its clock. */
export interface ManualTimers extends TimerProvider {
  /** Moves the clock forward, running every timer that falls due, in order. */
  advance(ms: number): void
  /** Timers scheduled and not yet fired or cleared. */
  pending(): number
}

/**
 * Timeouts and intervals on a virtual clock (the creation time plus what the test advanced),
 * frames on the real `requestAnimationFrame`. Unlike `vi.useFakeTimers()` it leaves the globals alone,
 * so Testing Library's `waitFor`, `ws` and jsdom keep working on real time while the manager's
 * own timers (stale sweep, unsubscribe delay, backoff) wait for `advance()`.
 */
export function manualTimers(): ManualTimers {
  // The clock stands still between advances: real time spent on I/O under load must not
  // bring a timer closer to its due time behind the test's back.
  const start = Date.now()
  let offset = 0
  let nextId = 1
  const timers = new Map<number, { due: number; callback: () => void; every?: number }>()
  const now = (): number => start + offset
  const schedule = (callback: () => void, ms: number, every?: number): TimerHandle => {
    const id = nextId++
    timers.set(id, {
      due: now() + Math.max(0, ms),
      callback,
      ...(every === undefined ? {} : { every }),
    })
    return id
  }
  return {
    setTimeout: (callback, ms) => schedule(callback, ms),
    clearTimeout: (handle) => void timers.delete(handle as number),
    setInterval: (callback, ms) => schedule(callback, ms, Math.max(1, ms)),
    clearInterval: (handle) => void timers.delete(handle as number),
    now,
    requestFrame: (callback) => defaultTimers.requestFrame(callback),
    cancelFrame: (handle) => defaultTimers.cancelFrame(handle),
    advance(ms) {
      offset += ms
      for (;;) {
        const current = now()
        let nextDue: [number, { due: number; callback: () => void; every?: number }] | undefined
        for (const entry of timers) {
          if (entry[1].due <= current && (nextDue === undefined || entry[1].due < nextDue[1].due)) {
            nextDue = entry
          }
        }
        if (nextDue === undefined) return
        const [id, timer] = nextDue
        if (timer.every === undefined) timers.delete(id)
        else timer.due += timer.every
        timer.callback()
      }
    },
    pending: () => timers.size,
  }
}
