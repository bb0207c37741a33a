import { focusManager, isCancelledError, onlineManager } from '@tanstack/query-core'
import type { QueryClient } from '@tanstack/query-core'
import type { RestSnapshot } from '../config'
import type { TimerProvider } from '../timers'
import { fetchPollBody } from './rest-request'
import type { PolledSnapshot, Poller } from './types'
import { validateSnapshot } from './validate-snapshot'

export { validateSnapshot } from './validate-snapshot'
export type { ValidatedSnapshot } from './validate-snapshot'

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
  const queryKey = ['tickwire', 'poll', options.connection, ++pollerCount] as const

  let symbols: string[] = []
  let started = false
  let destroyed = false
  let stopPolls: (() => void) | undefined
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
    const current = (): boolean => myGeneration === generation && !destroyed
    inFlight = true
    fetchPoll(queryClient, queryKey, options, wanted)
      .then(
        (body) => void (current() && handOver(options, body, wanted)),
        (error: unknown) => {
          if (!current() || isCancelledError(error)) return
          options.onError(`poll failed: ${describe(error)}`)
        },
      )
      .finally(() => {
        if (myGeneration === generation) inFlight = false
      })
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
    stopPolls?.()
    stopPolls = undefined
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
      stopPolls = schedulePolls(timers, intervalMs, () => {
        if (active()) poll()
      })
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

/**
 * One poll through the QueryClient: its retryer brings retries (paused while the page is
 * hidden or offline), de-duplication and cancellation through the query's signal.
 */
function fetchPoll(
  queryClient: QueryClient,
  queryKey: readonly unknown[],
  options: PollerOptions,
  wanted: string[],
): Promise<unknown> {
  const retryDelayMs = options.retryDelayMs ?? 500
  return queryClient.fetchQuery({
    queryKey,
    queryFn: ({ signal }) => fetchPollBody(options, wanted, signal),
    staleTime: 0,
    // The data is handed over at once and never read back from the cache.
    gcTime: 0,
    retry: options.retry ?? 2,
    retryDelay: (failures: number) => Math.min(retryDelayMs * 2 ** failures, options.intervalMs),
    networkMode: 'online',
  })
}

/** Delivers a poll's body, checked like `snapshot` frames; each bad entry is reported. */
function handOver(options: PollerOptions, body: unknown, wanted: readonly string[]): void {
  const { snapshot, problems } = validateSnapshot(body, wanted)
  for (const problem of problems) options.onError(problem)
  options.onSnapshot(snapshot, options.timers.now())
}

/**
 * Calls `tick` every `intervalMs`, and when the page becomes visible or the browser comes back
 * online: the data shown while away is the oldest it will ever be. Returns the stop.
 */
function schedulePolls(timers: TimerProvider, intervalMs: number, tick: () => void): () => void {
  const interval = timers.setInterval(tick, intervalMs)
  const offFocus = focusManager.subscribe((focused) => {
    if (focused) tick()
  })
  const offOnline = onlineManager.subscribe((online) => {
    if (online) tick()
  })
  return () => {
    timers.clearInterval(interval)
    offFocus()
    offOnline()
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
