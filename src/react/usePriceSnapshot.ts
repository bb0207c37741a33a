import { QueryClientContext, useQuery } from '@tanstack/react-query'
import { useContext, useEffect, useMemo } from 'react'
import {
  pricesQuery,
  readPricesData,
  type PricesQueryData,
  type PricesQueryOptions,
} from '../core/prices-query'
import { resolveConnectionName } from './connectionName'
import { useStreamManager } from './context'
import { usePriceStream, type PriceStreamResult } from './usePriceStream'
import { useSymbolsKey } from './useSymbolsKey'

/** Options of {@link usePriceSnapshot}: where the REST side is, and the connection. */
export interface UsePriceSnapshotOptions extends PricesQueryOptions {
  /** Connection that serves the symbols. @defaultValue `'default'`, or the only connection */
  connection?: string
}

/** What {@link usePriceSnapshot} returns: {@link PriceStreamResult} plus the snapshot's state. */
export interface PriceSnapshotResult extends PriceStreamResult {
  /**
   * The REST snapshot's query: `pending` until it answers (or while it is not needed because
   * every symbol already streams), `success`, or `error` (the stream still comes).
   */
  snapshotStatus: 'pending' | 'success' | 'error'
  /** Why the snapshot failed, when it did. */
  snapshotError: Error | null
}

/**
 * Live prices of several symbols, like `usePriceStream`, whose first paint comes from the
 * REST side (PROTOCOL.md 5) while the socket is still opening: a snapshot query through the
 * app's react-query `QueryClient`, one request per symbol set (components asking for the same
 * symbols in any order share it). The snapshot is also handed to the manager, so `usePrice`
 * elsewhere shows it too, under the rule of polled values: it never replaces a newer streamed
 * price (higher `seq`). A symbol shows its streamed tick as soon as there is one.
 *
 * With {@link prefetchPrices} on the server and react-query's `HydrationBoundary`, the
 * server-rendered HTML already has the prices, and hydration renders the same markup (the
 * snapshot, the stream's state being empty on both sides); live ticks follow after it.
 *
 * Needs a `QueryClientProvider` above it (the `StreamProvider` then uses the same client).
 * The snapshot is requested only while some symbol has no streamed tick.
 *
 * @example
 * ```tsx
 * function Board() {
 *   const { prices, status } = usePriceSnapshot(['BTC-USD', 'ETH-USD'], {
 *     restUrl: 'https://feed.example.com',
 *   })
 *   return (
 *     <ul data-status={status}>
 *       {['BTC-USD', 'ETH-USD'].map((symbol) => (
 *         <li key={symbol} data-source={prices[symbol]?.source}>
 *           {symbol} {prices[symbol]?.price ?? '…'}
 *         </li>
 *       ))}
 *     </ul>
 *   )
 * }
 * ```
 */
export function usePriceSnapshot(
  symbols: readonly string[],
  options: UsePriceSnapshotOptions,
): PriceSnapshotResult {
  const manager = useStreamManager('usePriceSnapshot')
  const client = useContext(QueryClientContext)
  if (client === undefined) {
    throw new Error(
      'tickwire: usePriceSnapshot() needs a <QueryClientProvider> above it ' +
        '(react-query holds the REST snapshot, and hands it from a server render to the page).',
    )
  }
  const wanted = useSymbolsKey(symbols)
  const { connection, restUrl, scope, fetch, staleTimeMs } = options
  const stream = usePriceStream(wanted, connection === undefined ? {} : { connection })
  const missing = wanted.some((symbol) => stream.prices[symbol] === undefined)

  const query = useQuery(
    {
      ...pricesQuery(wanted, {
        restUrl,
        ...(scope === undefined ? {} : { scope }),
        ...(fetch === undefined ? {} : { fetch }),
        ...(staleTimeMs === undefined ? {} : { staleTimeMs }),
      }),
      enabled: missing,
    },
    client,
  )
  const data: PricesQueryData | undefined = query.data
  const { dataUpdatedAt } = query

  const connectionName = resolveConnectionName(manager, connection) ?? ''
  // Checked again here: data hydrated from the page is input like any other.
  const view = useMemo(
    () =>
      data === undefined ? undefined : readPricesData(data, wanted, dataUpdatedAt, connectionName),
    [data, wanted, dataUpdatedAt, connectionName],
  )

  useEffect(() => {
    if (view === undefined) return
    // After the subscription's effect (declared above, in usePriceStream): the symbols are
    // wanted, so the manager takes the values.
    manager.seedPrices(view.snapshot, connection === undefined ? undefined : { connection })
  }, [manager, view, connection])

  const { status: snapshotStatus, error: snapshotError } = query
  return useMemo(() => {
    const base = { ...stream, snapshotStatus, snapshotError }
    if (view === undefined || !missing) return base
    const { ticks } = view
    // Object.fromEntries defines own properties, so no symbol name can reach a prototype.
    const prices = Object.fromEntries(
      wanted.map((symbol) => [
        symbol,
        stream.prices[symbol] ?? (Object.hasOwn(ticks, symbol) ? ticks[symbol] : undefined),
      ]),
    )
    return { ...base, prices }
  }, [stream, snapshotStatus, snapshotError, view, missing, wanted])
}
