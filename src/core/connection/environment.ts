import { focusManager, onlineManager } from '@tanstack/query-core'

/** What a connection does when the browser's network or focus state changes. */
export interface EnvironmentHandlers {
  onOffline(): void
  onOnline(): void
  /** The page became focused or visible. */
  onFocus(): void
}

/**
 * Listens to @tanstack/query-core's `onlineManager` and `focusManager` (shared with the app's
 * QueryClient, and replaceable through their `setEventListener` for React Native or tests).
 * Their window listeners are added with the first subscriber, so nothing is touched before a
 * connection starts. Returns the undo, which `destroy()` calls.
 */
export function watchEnvironment(handlers: EnvironmentHandlers): () => void {
  const offOnline = onlineManager.subscribe((online) =>
    online ? handlers.onOnline() : handlers.onOffline(),
  )
  const offFocus = focusManager.subscribe((focused) => {
    if (focused) handlers.onFocus()
  })
  return () => {
    offOnline()
    offFocus()
  }
}

/** Whether the browser says it is online (always true where nobody can tell, as in Node). */
export const isOnline = (): boolean => onlineManager.isOnline()
