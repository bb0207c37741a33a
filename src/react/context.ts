import { createContext, useContext } from 'react'
import type { StreamManager } from '../core/stream-manager'

/**
 * Carries the provider's manager down the tree. The value is the manager itself: it is
 * created once per provider, so consumers never re-render because the context changed.
 * `null` means "no provider above", which the hooks turn into a clear error.
 */
export const StreamContext = createContext<StreamManager | null>(null)
StreamContext.displayName = 'TickwireStreamContext'

/**
 * The manager of the nearest `StreamProvider`.
 *
 * @param hookName - Named in the error so the message points at the offending call site.
 * @throws Error naming `StreamProvider` when there is no provider above the caller.
 *
 * @example
 * ```tsx
 * function Stats() {
 *   const manager = useStreamManager()
 *   return <pre>{JSON.stringify(manager.getStats())}</pre>
 * }
 * ```
 */
export function useStreamManager(hookName = 'useStreamManager'): StreamManager {
  const manager = useContext(StreamContext)
  if (manager === null) {
    throw new Error(
      `tickwire: ${hookName}() must be used inside a <StreamProvider>. ` +
        'Wrap your app (or the part that shows prices) in <StreamProvider url="wss://…">.',
    )
  }
  return manager
}
