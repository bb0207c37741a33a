import type { ConnectionConfig } from '../config'

const INSECURE = new Map([
  ['ws:', 'wss:'],
  ['http:', 'https:'],
])

/**
 * Says, once per connection, when a page served over https is configured with a `ws:` (or,
 * for SSE and REST, `http:`) URL. Browsers block such mixed content without a useful error,
 * so without this the user sees a connection that never opens and a cryptic console line.
 * The URL is shown without its query, where credentials sometimes live. Outside a browser
 * (no `location`) there is nothing to compare against and nothing is said.
 *
 * @returns the warnings given, for tests
 */
export function warnMixedContent(name: string, config: ConnectionConfig): string[] {
  const page = (globalThis as { location?: { protocol?: unknown } }).location?.protocol
  if (page !== 'https:') return []
  const warnings: string[] = []
  for (const [option, raw] of [
    ['url', config.url],
    ['restUrl', config.restUrl],
  ] as const) {
    if (typeof raw !== 'string') continue
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      continue
    }
    const secure = INSECURE.get(url.protocol)
    if (!secure) continue
    const shown = `${url.protocol}//${url.host}${url.pathname}`
    const message =
      `tickwire: connection "${name}" has ${option} ${shown}, an insecure ${url.protocol} URL on a ` +
      `page served over https. Browsers block it as mixed content; use ${secure} instead.`
    console.warn(message)
    warnings.push(message)
  }
  return warnings
}
