import { useCallback, useRef, useSyncExternalStore } from 'react'
import type { StreamManager } from '../core/stream-manager'
import { useConnectionRows, type ConnectionMap } from './connectionData'

/** Symbols per connection name, sorted. */
export type SymbolsByConnection = Readonly<Record<string, readonly string[]>>

/** What the card shows, read from the nearest provider. */
export interface StatusCardData {
  connections: ConnectionMap
  stale: ReadonlySet<string>
  symbols: SymbolsByConnection
}

const NO_SYMBOLS: SymbolsByConnection = Object.freeze({})

/**
 * The symbols each connection is subscribed to (its wanted set), re-read whenever the store
 * changes: a change of the wanted set is followed by subscribe or unsubscribe frames, whose
 * counters reach the store, so the card never shows a set older than one frame. The result
 * keeps its identity while the sets are the same, as `useSyncExternalStore` requires.
 */
function useWantedSymbols(manager: StreamManager): SymbolsByConnection {
  const cache = useRef<{ key: string; value: SymbolsByConnection }>({ key: '', value: NO_SYMBOLS })
  const getSnapshot = useCallback((): SymbolsByConnection => {
    const wanted = manager.inspect().wanted()
    const value: Record<string, string[]> = {}
    for (const name of Object.keys(wanted).sort()) {
      value[name] = Object.keys(wanted[name] ?? {}).sort()
    }
    const key = Object.entries(value)
      .map(([name, symbols]) => `${name}\u0000${symbols.join('\u0001')}`)
      .join('\u0002')
    if (key !== cache.current.key) cache.current = { key, value }
    return cache.current.value
  }, [manager])
  const subscribe = useCallback(
    (onChange: () => void) => manager.store.subscribe(onChange),
    [manager],
  )
  // On the server there is no subscription yet: nothing is wanted.
  return useSyncExternalStore(subscribe, getSnapshot, () => NO_SYMBOLS)
}

/** Everything the card needs from the provider: the connections shown, staleness, symbols. */
export function useStatusCardData(
  manager: StreamManager,
  connection: string | undefined,
): StatusCardData {
  const { connections, stale } = useConnectionRows(connection)
  const symbols = useWantedSymbols(manager)
  return { connections, stale, symbols }
}
