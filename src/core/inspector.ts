import type { Frame } from './codecs/types'
import type { InspectedFrame, StatusRecord, StreamInspection, WantedCount } from './stream-manager'
import type { TimerProvider } from './timers'
import type { StatusEvent } from './types'

/** Most status changes `inspect().history()` keeps. */
export const HISTORY_LIMIT = 200

/** What the manager feeds its devtools views with. */
export interface Inspector {
  /** Records a status change in the bounded history. */
  status(event: StatusEvent): void
  /** Hands a frame to `onFrame` listeners; does nothing (not even a clock read) without any. */
  frame(connection: string, direction: 'in' | 'out', frame: Frame | null): void
  /** The read-only views of `manager.inspect()`. */
  view(): StreamInspection
  destroy(): void
}

/** Creates the inspector; `wanted` reads the reference counts of every connection. */
export function createInspector(
  timers: TimerProvider,
  wanted: () => Record<string, Record<string, WantedCount>>,
): Inspector {
  const frameListeners = new Set<(frame: InspectedFrame) => void>()
  let history: StatusRecord[] = []
  let destroyed = false
  return {
    status(event) {
      const record: StatusRecord = {
        at: timers.now(),
        connection: event.connection,
        from: event.oldState,
        to: event.newState,
      }
      if (event.reason !== undefined) record.reason = event.reason
      history.push(record)
      if (history.length > HISTORY_LIMIT) history = history.slice(-HISTORY_LIMIT)
    },
    frame(connection, direction, frame) {
      if (frameListeners.size === 0) return
      const event: InspectedFrame = { connection, direction, at: timers.now(), frame }
      for (const listener of frameListeners) listener(event)
    },
    view() {
      return {
        wanted,
        onFrame(listener) {
          if (destroyed) return () => {}
          frameListeners.add(listener)
          return () => {
            frameListeners.delete(listener)
          }
        },
        history: () => history.slice(),
        // This inspector serves the main-thread engine; a worker engine's proxy reports its own.
        engine: () => ({ kind: 'main', tabs: 1 }),
      }
    },
    destroy() {
      destroyed = true
      frameListeners.clear()
    },
  }
}
