import { useEffect, useMemo, useState } from 'react'
import type { ConnectionInfo, ConnectionStatus, PriceTick, StreamState } from '../core/types'
import { changedPrices } from '../core/prices/price-record'
import { useStreamSelector } from '../react/useStreamSelector'
import { isWorse } from '../core/status'
import { DEFAULT_DELAYED_AFTER_MS, statusKind, type StatusKind } from './statusView'

/** The connections a status component shows, by name, as the store holds them. */
export type ConnectionMap = Readonly<Record<string, ConnectionInfo>>

/** Props shared by `ConnectionStatus` and `ConnectionIndicator`. */
export interface StatusSourceProps {
  /**
   * Name of the connection to show. Without it, the worst state of all connections is shown
   * and the tooltip lists each of them.
   * @defaultValue undefined (all connections)
   */
  connection?: string
  /**
   * Shows these connections instead of reading a `StreamProvider` (controlled mode): for
   * tests, docs and apps that keep connection state elsewhere.
   * @defaultValue undefined (read from the nearest `StreamProvider`)
   */
  connections?: ConnectionMap
  /**
   * Controlled mode only: whether a shown price is stale, which turns Live into Delayed.
   * With a provider this is read from the store.
   * @defaultValue false
   */
  stale?: boolean
  /**
   * An open connection whose last ping took longer than this many ms shows as Delayed.
   * @defaultValue 1000
   */
  delayedAfterMs?: number
  /**
   * Hover delay before the statistics tooltip opens, in ms. Keyboard focus opens it at once.
   * @defaultValue 300
   */
  tooltipDelayMs?: number
}

/** The source props with their defaults applied, and the props left for the view. */
export function splitSourceProps<P extends StatusSourceProps>(props: P) {
  const {
    connection,
    connections,
    stale = false,
    delayedAfterMs = DEFAULT_DELAYED_AFTER_MS,
    ...rest
  } = props
  return { connection, connections, stale, delayedAfterMs, rest }
}

/** What the pill and the dot need: small, so it changes only when the visible state does. */
export interface StatusSummary {
  kind: StatusKind
  /** The core status of that connection (`idle` before any connection is known). */
  status: ConnectionStatus
  /** The connection whose state is shown (the worst one when several are). */
  connection: string | undefined
  /** When that connection's next attempt is due, for the countdown. */
  nextRetryAt: number | undefined
}

/** Names of the connections to look at: the one asked for, or all of them. */
function namesOf(connections: ConnectionMap, connection: string | undefined): string[] {
  return connection === undefined ? Object.keys(connections) : [connection]
}

/**
 * The state to show for a set of connections: the worst of them by the one status model
 * (core/status.ts), so one broken connection is never hidden behind a healthy one and an idle
 * lazy connection never outranks an open one, exactly as `useStream().status` ranks them.
 * `isStale` is asked only about connections that would otherwise be Live, so a caller can make
 * it lazy.
 */
export function summarize(
  connections: ConnectionMap,
  connection: string | undefined,
  isStale: (name: string) => boolean,
  delayedAfterMs: number,
): StatusSummary {
  let summary: StatusSummary | undefined
  for (const name of namesOf(connections, connection)) {
    const info = connections[name]
    // A named connection that does not exist (yet) has nothing to show but "not live".
    let kind = info ? statusKind(info, { delayedAfterMs, stale: false }) : 'connecting'
    if (kind === 'live' && isStale(name)) kind = 'delayed'
    const next = {
      kind,
      status: info?.status ?? 'idle',
      connection: name,
      nextRetryAt: info?.nextRetryAt,
    }
    if (summary === undefined || isWorse(summary, next)) summary = next
  }
  return summary ?? { kind: 'connecting', status: 'idle', connection, nextRetryAt: undefined }
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Counts of stale ticks per connection, carried from one prices record to the next with
 * `changedPrices` (core/prices/price-record.ts): a store write costs the symbols it changed,
 * not a scan of every price held. The first call counts everything once.
 */
function staleCounter(): (prices: StreamState['prices']) => ReadonlyMap<string, number> {
  let last: StreamState['prices'] | undefined
  const counts = new Map<string, number>()
  const count = (tick: PriceTick | undefined, step: 1 | -1): void => {
    if (tick?.stale !== true) return
    const n = (counts.get(tick.connection) ?? 0) + step
    if (n > 0) counts.set(tick.connection, n)
    else counts.delete(tick.connection)
  }
  return (prices) => {
    if (prices === last) return counts
    if (last === undefined) for (const symbol of Object.keys(prices)) count(prices[symbol], 1)
    else {
      for (const symbol of changedPrices(last, prices)) {
        count(hasOwn.call(last, symbol) ? last[symbol] : undefined, -1)
        count(hasOwn.call(prices, symbol) ? prices[symbol] : undefined, 1)
      }
    }
    last = prices
    return counts
  }
}

/**
 * The visible state read from the nearest provider. The selector returns a small object
 * compared shallowly, so the pill re-renders when what it shows changes, not for every
 * message that moves the counters.
 */
export function useStatusSummary(
  connection: string | undefined,
  delayedAfterMs: number,
): StatusSummary {
  const selector = useMemo(() => {
    const staleBy = staleCounter()
    return (state: StreamState) => {
      // Prices are looked at only when some connection would otherwise be Live.
      const isStale = (name: string) => staleBy(state.prices).has(name)
      return summarize(state.connections, connection, isStale, delayedAfterMs)
    }
  }, [connection, delayedAfterMs])
  return useStreamSelector(selector)
}

/** Everything the tooltip shows, read from the nearest provider while it is open. */
export function useConnectionRows(connection: string | undefined): {
  connections: ConnectionMap
  stale: ReadonlySet<string>
} {
  const connections = useStreamSelector(selectConnections)
  // Joined into a string so the selector result is stable between unrelated changes.
  const selectStaleKey = useMemo(() => {
    const staleBy = staleCounter()
    return (state: StreamState) => [...staleBy(state.prices).keys()].sort().join('\n')
  }, [])
  const staleKey = useStreamSelector(selectStaleKey)
  const stale = new Set(staleKey === '' ? [] : staleKey.split('\n'))
  const shown: Record<string, ConnectionInfo> = {}
  for (const name of namesOf(connections, connection)) {
    const info = connections[name]
    if (info) shown[name] = info
  }
  return { connections: shown, stale }
}

function selectConnections(state: StreamState): StreamState['connections'] {
  return state.connections
}

/**
 * The current time, refreshed every `everyMs` while `active`: for countdowns and "connected
 * for" durations. Inactive, it costs no timer and no render.
 */
export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return undefined
    const tick = () => setNow(Date.now())
    const id = setInterval(tick, everyMs)
    // Refresh at once too, so a countdown that just appeared does not show an old time.
    const first = setTimeout(tick, 0)
    return () => {
      clearInterval(id)
      clearTimeout(first)
    }
  }, [active, everyMs])
  return now
}
