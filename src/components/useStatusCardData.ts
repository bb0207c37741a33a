import { useMemo } from 'react'
import type { StreamManager } from '../core/stream-manager'
import type { StreamState } from '../core/types'
import { useStreamSelector } from '../react'
import { useConnectionRows, type ConnectionMap } from './connectionData'

/** Symbols per connection name, sorted. */
export type SymbolsByConnection = Readonly<Record<string, readonly string[]>>

/** What the card shows, read from the nearest provider. */
export interface StatusCardData {
  connections: ConnectionMap
  stale: ReadonlySet<string>
  symbols: SymbolsByConnection
}

const selectConnections = (state: StreamState) => state.connections

/**
 * The symbols each connection is subscribed to (its wanted set), read again whenever the
 * connections' info changes in the store: a change of the wanted set is followed by subscribe
 * or unsubscribe frames, whose counters reach the store, so the card never shows a set older
 * than the counters. The result keeps its identity while the sets are the same.
 */
function useWantedSymbols(manager: StreamManager): SymbolsByConnection {
  // Re-renders the card when any connection's info changes (through the public hook).
  useStreamSelector(selectConnections)
  const wanted = manager.inspect().wanted()
  const value: Record<string, string[]> = {}
  for (const name of Object.keys(wanted).sort()) {
    value[name] = Object.keys(wanted[name] ?? {}).sort()
  }
  // Keyed by content, so the result keeps its identity while the sets are the same.
  const key = JSON.stringify(value)
  return useMemo(() => JSON.parse(key) as SymbolsByConnection, [key])
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
