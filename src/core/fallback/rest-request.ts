/**
 * The REST request of one poll (PROTOCOL.md section 5): the user's `fetchSnapshot`, or
 * `GET <restUrl>/prices?symbols=…` in chunks of at most 100 symbols whose bodies are merged.
 */
import type { PollerOptions } from './poller'
import { mergeBodies } from './validate-snapshot'

/** Most symbols one REST request carries (PROTOCOL.md section 5). */
export const MAX_SYMBOLS_PER_REQUEST = 100

/** `<restUrl>/prices?symbols=A,B`, without a doubled slash when the base ends with one. */
export function pricesUrl(restUrl: string, symbols: readonly string[]): string {
  const base = restUrl.endsWith('/') ? restUrl.slice(0, -1) : restUrl
  return `${base}/prices?symbols=${symbols.map((symbol) => encodeURIComponent(symbol)).join(',')}`
}

/**
 * Fetches the body of one poll for `wanted`, not yet validated. The user's own endpoint gets
 * every symbol in one call (it has its own limits); `restUrl` is asked in chunks at once.
 */
export async function fetchPollBody(
  options: Pick<PollerOptions, 'fetchSnapshot' | 'restUrl' | 'fetch'>,
  wanted: string[],
  signal: AbortSignal,
): Promise<unknown> {
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
