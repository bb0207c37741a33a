import type { StreamEvents } from './types'

/** The manager's event listeners: `status`, `error` and `message`. */
export interface Emitter {
  emit<E extends keyof StreamEvents>(event: E, payload: StreamEvents[E]): void
  /** Adds a listener; returns the undo. */
  on<E extends keyof StreamEvents>(
    event: E,
    listener: (payload: StreamEvents[E]) => void,
  ): () => void
  /** Removes every listener. */
  clear(): void
}

/**
 * Creates the listener sets. A listener that throws does not break the stream or the other
 * listeners: its error is rethrown in a microtask, outside the manager's call stack, where the
 * host reports it as uncaught.
 */
export function createEmitter(): Emitter {
  const listeners: { [E in keyof StreamEvents]: Set<(payload: StreamEvents[E]) => void> } = {
    status: new Set(),
    error: new Set(),
    message: new Set(),
  }
  return {
    emit(event, payload) {
      for (const listener of listeners[event]) {
        try {
          listener(payload)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    on(event, listener) {
      const set = listeners[event]
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    clear() {
      for (const set of Object.values(listeners)) set.clear()
    },
  }
}
