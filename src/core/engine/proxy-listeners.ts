/** The event listeners of the worker engine's proxy manager (client.ts) and their calling. */
import type { StreamEvents } from '../index'

/** The listeners of each event a manager emits. */
export type Listeners = { [E in keyof StreamEvents]: Set<(payload: StreamEvents[E]) => void> }

/** Calls each listener of `event`; one that throws is reported without stopping the rest. */
export function emitTo<E extends keyof StreamEvents>(
  listeners: Listeners,
  event: E,
  payload: StreamEvents[E],
): void {
  for (const listener of listeners[event]) {
    try {
      listener(payload)
    } catch (error) {
      // As on the main-thread engine: a listener's bug must not break the stream.
      queueMicrotask(() => {
        throw error
      })
    }
  }
}
