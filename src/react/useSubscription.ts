import { useEffect } from 'react'
import type { StreamManager } from '../core/stream-manager'

/**
 * Wants `symbols` on `connection` while the component is mounted.
 *
 * The release of the previous set is deferred by one microtask. React runs an effect's
 * cleanup before the next effect of the same commit, so releasing at once would drop the
 * reference count of the symbols both sets share to zero for an instant; with
 * `unsubscribeDelayMs: 0` that would send an unsubscribe and a subscribe for them, and for a
 * symbol with a standing `unknown_symbol` error the manager treats a want after a full release
 * as a fresh start: it clears the error and subscribes the symbol again. Deferred, the new set
 * is acquired first and only the symbols really gone are released. The same holds for
 * StrictMode's simulated unmount and re-mount.
 *
 * @param symbols - A stable array (from `useSymbolsKey`): its identity is the effect's key.
 *
 * @example
 * ```ts
 * const wanted = useSymbolsKey(symbols)
 * useSubscription(manager, wanted, options.connection)
 * ```
 */
export function useSubscription(
  manager: StreamManager,
  symbols: readonly string[],
  connection: string | undefined,
): void {
  useEffect(() => {
    if (symbols.length === 0) return undefined
    const release = manager.subscribe(symbols, connection === undefined ? {} : { connection })
    return () => queueMicrotask(release)
  }, [manager, symbols, connection])
}
