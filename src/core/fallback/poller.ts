import { focusManager, isCancelledError, onlineManager } from '@tanstack/query-core'
import type { QueryClient } from '@tanstack/query-core'
import type { RestSnapshot } from '../config'
import type { TimerHandle, TimerProvider } from '../timers'
import type { PolledSnapshot, Poller } from './types'
import { mergeBodies, validateSnapshot } from './validate-snapshot'

export { validateSnapshot } from './validate-snapshot'
export type { ValidatedSnapshot } from './validate-snapshot'

/** Most symbols one REST request carries (PROTOCOL.md section 5). */
export const MAX_SYMBOLS_PER_REQUEST = 100

/** Options of {@link createPoller}. */
export interface PollerOptions {
  /** The app's QueryClient (or the manager's own): polls run through its cache and retryer. */
  queryClient: QueryClient
  /** Connection name; part of the query key, so each connection polls on its own. */
  connection: string
  /** Base URL of the REST side; the poller requests `<restUrl>/prices?symbols=…`. */
  restUrl?: string | undefined
  /**
   * Fetches a snapshot instead of the `restUrl` request. It gets every wanted symbol in one
   * call (it is the user's own endpoint, with its own limits) and the query's abort signal.
   */
  fetchSnapshot?: ((symbols: string[], signal: AbortSignal) => Promise<RestSnapshot>) | undefined
  /** Time between polls while started. The connection passes `fallbackIntervalMs` (5000). */
  intervalMs: number
  /** Timers for the poll interval, and the clock for `receivedAt`. */
  timers: TimerProvider
  /** A validated snapshot arrived; `receivedAt` is when (from `timers.now()`). */
  onSnapshot(snapshot: PolledSnapshot, receivedAt: number): void
  /** A poll failed after its retries, or an entry of a body was invalid and dropped. */
  onError(message: string): void
  /**
   * Retries of a failed poll before `onError`. @defaultValue 2: a blip is ridden out, while
   * a dead endpoint is reported well before the next interval would hide it.
   */
  retry?: number | undefined
  /**
   * Delay before the first retry, doubled for each further one and capped at `intervalMs`
   * so retries never outlast the poll they belong to. @defaultValue 500
   */
  retryDelayMs?: number | undefined
  /** `fetch` to use for `restUrl` (tests, old runtimes). @defaultValue `globalThis.fetch` */
  fetch?: typeof globalThis.fetch | undefined
}

// Distinguishes pollers that share a QueryClient and a connection name (two managers in one
// app): each gets its own query, so neither runs the other's query function.
let pollerCount = 0

/**
 * Polls the REST side while a connection is in fallback (PROTOCOL.md sections 4 and 5).
 *
 * Each poll is a `queryClient.fetchQuery`, which brings retries (with the retryer's pause
 * while the page is hidden or the browser offline), de-duplication of overlapping fetches
 * and cancellation through the query's `AbortSignal`. The interval itself runs on the
 * provider's timers rather than a `QueryObserver`'s `refetchInterval`, because query-core
 * schedules no refetch timers where it believes it is on a server (no `window`: Node, web
 * workers), and tickwire's core must poll there too.
 *
 * While started, ticks are skipped while `focusManager` says the page is hidden or
 * `onlineManager` says the browser is offline, and a return to a visible page or to the
 * network refreshes at once instead of waiting for the next tick.
 *
 * Requests carry at most 100 symbols each; several are made at once and merged. Bodies are
 * untrusted: each entry is checked like a `snapshot` frame (PROTOCOL.md section 1) and copied
 * into null-prototype objects; a bad entry is dropped and reported, the rest delivered.
 */
export function createPoller(options: PollerOptions): Poller {
  const { queryClient, timers, intervalMs } = options
  const retry = options.retry ?? 2
  const retryDelayMs = options.retryDelayMs ?? 500
  const queryKey = ['tickwire', 'poll', options.connection, ++pollerCount] as const

  let symbols: string[] = []
  let started = false
  let destroyed = false
  let interval: TimerHandle | undefined
  let unsubscribers: Array<() => void> = []
  // Bumped by stop(): a poll that resolves after it belongs to an older generation and is
  // thrown away, so nothing reaches the store once polling has stopped.
  let generation = 0
  let inFlight = false

  const active = (): boolean => focusManager.isFocused() && onlineManager.isOnline()

  const poll = (): void => {
    if (destroyed || inFlight) return
    const wanted = symbols
    if (wanted.length === 0) return
    const myGeneration = generation
    inFlight = true
    queryClient
      .fetchQuery({
        queryKey,
        queryFn: ({ signal }) => fetchAll(wanted, signal),
        staleTime: 0,
        // The data is handed over at once and never read back from the cache.
        gcTime: 0,
        retry,
        retryDelay: (failures: number) => Math.min(retryDelayMs * 2 ** failures, intervalMs),
        networkMode: 'online',
      })
      .then(
        (body) => {
          if (myGeneration !== generation || destroyed) return
          const { snapshot, problems } = validateSnapshot(body, wanted)
          for (const problem of problems) options.onError(problem)
          options.onSnapshot(snapshot, timers.now())
        },
        (error: unknown) => {
          if (myGeneration !== generation || destroyed || isCancelledError(error)) return
          options.onError(`poll failed: ${describe(error)}`)
        },
      )
      .finally(() => {
        if (myGeneration === generation) inFlight = false
      })
  }

  const fetchAll = async (wanted: string[], signal: AbortSignal): Promise<unknown> => {
    if (options.fetchSnapshot) return options.fetchSnapshot([...wanted], signal)
    const { restUrl } = options
    if (restUrl === undefined) throw new Error('no restUrl and no fetchSnapshot')
    const doFetch = options.fetch ?? globalThis.fetch
    const chunks: string[][] = []
    for (let i = 0; i < wanted.length; i += MAX_SYMBOLS_PER_REQUEST) {
      chunks.push(wanted.slice(i, i + MAX_SYMBOLS_PER_REQUEST))
    }
    const bodies = await Promise.all(
      chunks.map(async (chunk) => {
        const response = await doFetch(pricesUrl(restUrl, chunk), {
          signal,
          headers: { accept: 'application/json' },
        })
        if (!response.ok) throw new Error(`HTTP ${response.status} from ${restUrl}/prices`)
        return (await response.json()) as unknown
      }),
    )
    return mergeBodies(bodies)
  }

  const cancel = (): void => {
    generation++
    inFlight = false
    // Aborts the request through its signal and stops pending retries; reverts the query's
    // state so the cancellation is not an error anyone sees.
    void queryClient.cancelQueries({ queryKey, exact: true })
  }

  const stop = (): void => {
    if (!started) return
    started = false
    if (interval !== undefined) timers.clearInterval(interval)
    interval = undefined
    for (const unsubscribe of unsubscribers) unsubscribe()
    unsubscribers = []
    cancel()
  }

  return {
    setSymbols(next) {
      // Deduplicated and sorted: the same set always yields the same requests.
      symbols = [...new Set(next)].sort()
    },
    start() {
      if (started || destroyed) return
      started = true
      if (active()) poll()
      interval = timers.setInterval(() => {
        if (active()) poll()
      }, intervalMs)
      // A page that becomes visible, or a browser back online, refreshes now: the data
      // shown while away is the oldest it will ever be.
      unsubscribers = [
        focusManager.subscribe((focused) => {
          if (focused && active()) poll()
        }),
        onlineManager.subscribe((online) => {
          if (online && active()) poll()
        }),
      ]
    },
    stop,
    refresh() {
      poll()
    },
    destroy() {
      stop()
      if (!destroyed) cancel()
      destroyed = true
      queryClient.removeQueries({ queryKey, exact: true })
    },
  }
}

/** `<restUrl>/prices?symbols=A,B`, without a doubled slash when the base ends with one. */
export function pricesUrl(restUrl: string, symbols: readonly string[]): string {
  const base = restUrl.endsWith('/') ? restUrl.slice(0, -1) : restUrl
  return `${base}/prices?symbols=${symbols.map((symbol) => encodeURIComponent(symbol)).join(',')}`
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
