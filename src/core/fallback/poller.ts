import { focusManager, isCancelledError, onlineManager } from '@tanstack/query-core'
import type { QueryClient } from '@tanstack/query-core'
import type { RestSnapshot } from '../config'
import type { TimerHandle, TimerProvider } from '../timers'
import type { PolledSnapshot, Poller } from './types'

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

/** Keys that must never become properties: they would reach a prototype. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
/** Price fields that, when present, must be finite numbers (PROTOCOL.md section 3.2). */
const PRICE_FIELDS = ['price', 'bid', 'ask', 'volume', 'change24h', 'high24h', 'low24h'] as const

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

/**
 * Merges several response bodies into one. Each must be an object; anything else makes the
 * whole poll fail (and retry), because a body of the wrong shape means a wrong endpoint.
 */
function mergeBodies(bodies: unknown[]): unknown {
  if (bodies.length === 1) return bodies[0]
  const entries: Array<[string, unknown]> = []
  const unknown: unknown[] = []
  for (const body of bodies) {
    if (!isPlainObject(body)) return body
    const prices = body['prices']
    if (isPlainObject(prices)) {
      for (const key of Object.keys(prices)) entries.push([key, prices[key]])
    } else if (prices !== undefined) {
      return body
    }
    const list = body['unknown']
    if (Array.isArray(list)) unknown.push(...(list as unknown[]))
  }
  // A null-prototype holder: keys from the bodies never reach Object.prototype.
  const prices: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const [key, value] of entries) {
    if (!FORBIDDEN_KEYS.has(key)) prices[key] = value
  }
  return { prices, unknown }
}

/** A checked body: the entries that passed, and a message for each that did not. */
export interface ValidatedSnapshot {
  snapshot: PolledSnapshot
  problems: string[]
}

/**
 * Checks an untrusted REST body (PROTOCOL.md sections 1 and 5) and copies what passes into
 * null-prototype objects. Entries for symbols not asked for are ignored silently, as frames
 * for unsubscribed symbols are; a bad entry is dropped with a message and the rest kept.
 *
 * @param body - the parsed JSON body (or a `fetchSnapshot` result).
 * @param wanted - the symbols that were asked for.
 */
export function validateSnapshot(body: unknown, wanted: readonly string[]): ValidatedSnapshot {
  const prices = Object.create(null) as PolledSnapshot['prices']
  const unknown: string[] = []
  const problems: string[] = []
  const snapshot: PolledSnapshot = { prices, unknown }
  if (!isPlainObject(body)) {
    problems.push('invalid REST body: not an object')
    return { snapshot, problems }
  }
  const asked = new Set(wanted)
  const rawPrices = body['prices']
  if (isPlainObject(rawPrices)) {
    for (const symbol of Object.keys(rawPrices)) {
      if (!asked.has(symbol)) continue
      const entry = checkEntry(symbol, rawPrices[symbol])
      if (typeof entry === 'string') problems.push(entry)
      else prices[symbol] = entry
    }
  } else if (rawPrices !== undefined) {
    problems.push('invalid REST body: `prices` is not an object')
  }
  const rawUnknown = body['unknown']
  if (Array.isArray(rawUnknown)) {
    for (const symbol of rawUnknown as unknown[]) {
      if (typeof symbol === 'string' && asked.has(symbol) && !unknown.includes(symbol)) {
        unknown.push(symbol)
      }
    }
  } else if (rawUnknown !== undefined) {
    problems.push('invalid REST body: `unknown` is not an array')
  }
  return { snapshot, problems }
}

type Entry = PolledSnapshot['prices'][string]

/** One entry checked like a `snapshot` frame; a string explains why it was refused. */
function checkEntry(symbol: string, raw: unknown): Entry | string {
  const refuse = (why: string): string => `invalid REST entry for ${JSON.stringify(symbol)}: ${why}`
  if (symbol === '' || FORBIDDEN_KEYS.has(symbol)) return refuse('bad symbol')
  if (!isPlainObject(raw)) return refuse('not an object')
  const seq = raw['seq']
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return refuse('bad seq')
  const ts = raw['ts']
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) return refuse('bad ts')
  const rawData = raw['data']
  if (!isPlainObject(rawData)) return refuse('data is not an object')
  if (rawData['price'] === undefined) return refuse('no price')
  for (const field of PRICE_FIELDS) {
    const value = rawData[field]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      return refuse(`${field} is not a finite number`)
    }
  }
  const data = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(rawData)) {
    if (!FORBIDDEN_KEYS.has(key)) data[key] = rawData[key]
  }
  return ts === undefined ? { seq, data } : { seq, ts, data }
}

/** An object literal or a null-prototype object: not an array, class instance or null. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
