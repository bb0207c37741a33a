import type { TimerProvider } from '../timers'
import type { ConnectionInfo } from '../types'
import type { StreamDiff } from './diff'
import type { FrameClock } from './frame-clock'

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

/** Which connections' info the next frames copy into the store, and when. */
export interface ConnectionMarks {
  /** Something a UI shows changed: copied at the next frame. */
  mark(name: string): void
  /** Only traffic counters changed: copied at most once per {@link COUNTERS_INTERVAL_MS}. O(1). */
  markCounters(name: string): void
  /**
   * Copies the infos due at `now` into `diff.connections`; returns whether any was written,
   * and lowers `next.due` to when the first one still waiting is due.
   */
  collect(
    diff: StreamDiff,
    now: number,
    read: (name: string) => ConnectionInfo | undefined,
    next: { due: number },
  ): boolean
  clear(): void
}

/** Creates the marks; they ask `clock` for the frames and wake-ups they need. */
export function createConnectionMarks(timers: TimerProvider, clock: FrameClock): ConnectionMarks {
  const connections = new Set<string>()
  /** Connections whose counters alone changed, waiting for their interval. */
  const counters = new Set<string>()
  /** When each connection's info was last written, for the counters' interval. */
  const written = new Map<string, number>()

  return {
    mark(name) {
      connections.add(name)
      clock.request()
    },
    markCounters(name) {
      if (connections.has(name) || counters.has(name)) return
      counters.add(name)
      const last = written.get(name)
      const now = last === undefined ? 0 : timers.now()
      if (last !== undefined && now - last < COUNTERS_INTERVAL_MS)
        clock.wakeAt(last + COUNTERS_INTERVAL_MS, now)
      else clock.request()
    },
    collect(diff, now, read, next) {
      let changed = false
      // Status, reason, latency: at this frame. Counters alone: at most every COUNTERS_INTERVAL_MS.
      const write = (name: string): void => {
        counters.delete(name)
        const info = read(name)
        if (info === undefined) return
        diff.connections[name] = info
        written.set(name, now)
        changed = true
      }
      for (const name of connections) write(name)
      connections.clear()
      for (const name of counters) {
        const last = written.get(name)
        if (last !== undefined && now - last < COUNTERS_INTERVAL_MS) {
          next.due = Math.min(next.due, last + COUNTERS_INTERVAL_MS)
          continue
        }
        write(name)
      }
      return changed
    },
    clear() {
      connections.clear()
      counters.clear()
      written.clear()
    },
  }
}
