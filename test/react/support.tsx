/**
 * Shared pieces of the React layer's tests: the `ws` WebSocket typed for the config (jsdom's
 * own is broken under Vitest), a timer provider that counts what is pending, and a manual
 * frame clock for tests that must decide when "the next frame" is.
 */
import { WebSocket as NodeWebSocket } from 'ws'
import type { WebSocketConstructor } from '../../src/core/config'
import { defaultTimers, type TimerHandle, type TimerProvider } from '../../src/core/timers'

/** The `ws` client, shaped as the config's constructor type. */
export const WebSocket = NodeWebSocket as unknown as WebSocketConstructor

/** A timer provider on the real clock that knows how many timers and frames are pending. */
export interface CountingTimers extends TimerProvider {
  /** Timeouts, intervals and frame callbacks scheduled and neither fired nor cleared. */
  pending(): number
}

/**
 * Wraps the default provider and tracks live handles, so a test can say "unmount left no
 * timer" about the manager's timers without faking the clock (real sockets need real I/O).
 * With `manualFrames`, frame callbacks wait for `flushFrames()` instead of the next paint.
 */
export function countingTimers(options: { manualFrames?: boolean } = {}): CountingTimers & {
  flushFrames(): number
} {
  const live = new Set<TimerHandle>()
  let queued: { callback: () => void }[] = []
  return {
    setTimeout(callback, ms) {
      const handle: TimerHandle = defaultTimers.setTimeout(() => {
        live.delete(handle)
        callback()
      }, ms)
      live.add(handle)
      return handle
    },
    clearTimeout(handle) {
      live.delete(handle)
      defaultTimers.clearTimeout(handle)
    },
    setInterval(callback, ms) {
      const handle = defaultTimers.setInterval(callback, ms)
      live.add(handle)
      return handle
    },
    clearInterval(handle) {
      live.delete(handle)
      defaultTimers.clearInterval(handle)
    },
    now: () => defaultTimers.now(),
    requestFrame(callback) {
      if (options.manualFrames === true) {
        const entry = { callback }
        queued.push(entry)
        live.add(entry)
        return entry
      }
      const handle: TimerHandle = defaultTimers.requestFrame(() => {
        live.delete(handle)
        callback()
      })
      live.add(handle)
      return handle
    },
    cancelFrame(handle) {
      live.delete(handle)
      if (options.manualFrames === true) {
        queued = queued.filter((entry) => entry !== handle)
        return
      }
      defaultTimers.cancelFrame(handle)
    },
    pending: () => live.size,
    /** Runs the queued frame callbacks once; returns how many ran. */
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
