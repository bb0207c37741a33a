import type { QueryClient, QueryFunctionContext } from '@tanstack/query-core'
import { MAX_SYMBOLS_PER_REQUEST, pricesUrl } from './fallback/rest-request'
import type { PolledSnapshot } from './fallback/types'
import { validateSnapshot } from './fallback/validate-snapshot'
import { safeCopy } from './prices/merge'
import { buildTick } from './prices/tick'
import type { PriceTick } from './types'

/** Options of {@link pricesQuery} and {@link prefetchPrices}. */
export interface PricesQueryOptions {
  /** Base URL of the REST side; the request is `<restUrl>/prices?symbols=…` (PROTOCOL.md 5). */
  restUrl: string
  /**
   * Names the REST side in the query key. Set the same `scope` on both sides when the server
   * fetches from an internal URL and the browser from a public one: the browser's query must
   * find the server's data under the same key. @defaultValue the `restUrl`
   */
  scope?: string
  /**
   * `fetch` to use: one that adds headers, or the server's own. @defaultValue `globalThis.fetch`
   */
  fetch?: typeof globalThis.fetch
  /**
   * How long a snapshot is fresh enough for a first paint, in ms. Within it a component that
   * mounts (or hydrates with the server's snapshot) requests nothing again; the stream
   * replaces the snapshot anyway within a second or two. @defaultValue 30000
   */
  staleTimeMs?: number
}

/** One symbol's REST entry, as the query holds it. */
export interface PricesQueryEntry {
  seq: number
  ts?: number
  data: Record<string, unknown>
}

/**
 * What the prices query holds: plain objects only, so react-query's `dehydrate` can hand it
 * from a server render to the browser (React Server Components refuse null-prototype objects).
 */
export interface PricesQueryData {
  /** A valid entry per known symbol that was asked for. */
  prices: Record<string, PricesQueryEntry>
  /** Symbols the server does not know. */
  unknown: string[]
  /** Why entries of the answer were dropped (an entry without a finite price, ...). */
  problems: string[]
}

/** The query key of a symbol set: the same symbols in any order share one key (one request). */
export type PricesQueryKey = readonly ['tickwire', 'prices', string, readonly string[]]

/** The symbols de-duplicated and sorted: the identity of a request. */
function normalize(symbols: readonly string[]): string[] {
  return [...new Set(symbols)].filter((symbol) => symbol !== '').sort()
}

/** A plain-object copy (the validated entries are null-prototype; their keys are safe). */
function plain(snapshot: PolledSnapshot): Record<string, PricesQueryEntry> {
  return Object.fromEntries(
    Object.keys(snapshot.prices).map((symbol) => {
      const entry = snapshot.prices[symbol] as PolledSnapshot['prices'][string]
      const copy: PricesQueryEntry = { seq: entry.seq, data: { ...entry.data } }
      if (entry.ts !== undefined) copy.ts = entry.ts
      return [symbol, copy]
    }),
  )
}

async function fetchPrices(
  symbols: readonly string[],
  options: PricesQueryOptions,
  signal: AbortSignal,
): Promise<PricesQueryData> {
  const doFetch = options.fetch ?? globalThis.fetch
  const chunks: string[][] = []
  for (let i = 0; i < symbols.length; i += MAX_SYMBOLS_PER_REQUEST)
    chunks.push(symbols.slice(i, i + MAX_SYMBOLS_PER_REQUEST))
  const parts = await Promise.all(
    chunks.map(async (chunk) => {
      const response = await doFetch(pricesUrl(options.restUrl, chunk), {
        signal,
        headers: { accept: 'application/json' },
      })
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${options.restUrl}/prices`)
      const body = (await response.json()) as unknown
      // A body that is not an object at all is a wrong endpoint: fail (and retry) the query.
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new Error(`not a snapshot object from ${options.restUrl}/prices`)
      return validateSnapshot(body, chunk)
    }),
  )
  const data: PricesQueryData = { prices: {}, unknown: [], problems: [] }
  for (const part of parts) {
    Object.assign(data.prices, plain(part.snapshot))
    data.unknown.push(...part.snapshot.unknown)
    data.problems.push(...part.problems)
  }
  return data
}

/**
 * The react-query options of a REST price snapshot of `symbols`: the key (one per symbol set,
 * whatever the order), the request (chunks of 100 symbols, each body checked like a `snapshot`
 * frame and copied) and a stale time fit for a first paint. Use it with `useQuery`,
 * `fetchQuery` or `prefetchQuery`; `usePriceSnapshot` and {@link prefetchPrices} do.
 *
 * @example
 * ```ts
 * const data = await queryClient.fetchQuery(
 *   pricesQuery(['BTC-USD', 'ETH-USD'], { restUrl: 'https://feed.example.com' }),
 * )
 * ```
 */
export function pricesQuery(
  symbols: readonly string[],
  options: PricesQueryOptions,
): {
  queryKey: PricesQueryKey
  queryFn: (context: QueryFunctionContext<PricesQueryKey>) => Promise<PricesQueryData>
  staleTime: number
  retry: number
} {
  const wanted = normalize(symbols)
  return {
    queryKey: ['tickwire', 'prices', options.scope ?? options.restUrl, wanted],
    queryFn: ({ signal }) => fetchPrices(wanted, options, signal),
    staleTime: options.staleTimeMs ?? 30_000,
    // One retry rides out a blip; the stream is on its way, so waiting longer buys little.
    retry: 1,
  }
}

/**
 * Fetches the REST snapshot of `symbols` into `queryClient` for server rendering: hand
 * `dehydrate(queryClient)` to react-query's `HydrationBoundary`, and the components using
 * `usePriceSnapshot` with the same symbols and `restUrl` render prices on the server and
 * hydrate with the same markup. Never rejects: a failed request leaves the query in error,
 * and the page renders its loading state.
 *
 * Importable from `tickwire/core`, which a React Server Component can call (the `tickwire`
 * entry is a client module).
 *
 * @example
 * ```tsx
 * // app/page.tsx (a Server Component)
 * import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query'
 * import { prefetchPrices } from 'tickwire/core'
 *
 * export default async function Page() {
 *   const queryClient = new QueryClient()
 *   await prefetchPrices(queryClient, ['BTC-USD'], { restUrl: process.env.FEED_REST_URL! })
 *   return (
 *     <HydrationBoundary state={dehydrate(queryClient)}>
 *       <Prices />
 *     </HydrationBoundary>
 *   )
 * }
 * ```
 */
export function prefetchPrices(
  queryClient: QueryClient,
  symbols: readonly string[],
  options: PricesQueryOptions,
): Promise<void> {
  return queryClient.prefetchQuery(pricesQuery(symbols, options))
}

/** What {@link readPricesData} gives: the snapshot to seed a manager with, and ticks to show. */
export interface PricesDataView {
  /** The valid entries, checked and copied (null-prototype): for `manager.seedPrices`. */
  snapshot: PolledSnapshot
  /** A tick (source `poll`) per valid entry, to show until the stream has its own. */
  ticks: Record<string, PriceTick>
}

/**
 * Reads the prices query's data for `symbols`: checks it again (data hydrated from a server
 * render is input like any other; each entry is checked like a `snapshot` frame) and builds
 * the ticks a component shows before the stream has a value. Pure: the same data gives equal
 * ticks on the server and in the browser, which is what keeps hydration free of mismatches.
 *
 * @param receivedAt - when the data arrived (the query's `dataUpdatedAt`): the ticks'
 *   `receivedAt`, and their `ts` when an entry has none.
 * @param connection - the connection the ticks are shown as coming from.
 *
 * @example
 * ```ts
 * const { snapshot, ticks } = readPricesData(query.data, ['BTC-USD'], query.dataUpdatedAt, 'default')
 * manager.seedPrices(snapshot)
 * ```
 */
export function readPricesData(
  data: unknown,
  symbols: readonly string[],
  receivedAt: number,
  connection: string,
): PricesDataView {
  const { snapshot } = validateSnapshot(data, symbols)
  const ticks: Record<string, PriceTick> = {}
  for (const symbol of Object.keys(snapshot.prices)) {
    const entry = snapshot.prices[symbol] as PolledSnapshot['prices'][string]
    const tick = buildTick(
      {
        symbol,
        data: safeCopy(entry.data),
        seq: entry.seq,
        hasSnapshot: true,
        shared: false,
        ts: entry.ts ?? receivedAt,
        receivedAt,
        source: 'poll',
        stale: false,
        awaitingSnapshot: false,
        shownPrice: undefined,
        resyncAt: 0,
      },
      connection,
    )
    // A defined property, not an assignment: no symbol name can reach a prototype.
    Object.defineProperty(ticks, symbol, {
      value: tick,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return { snapshot, ticks }
}
