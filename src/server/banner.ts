/**
 * What `tickwire-feed` (cli.ts) prints once its server listens: what it serves and where.
 */
import type { ServeFlags } from './serveOptions'
import type { FeedServer } from './types'

/** The lines printed on start, ending with an empty line. */
export function banner(server: FeedServer, values: ServeFlags): string {
  const count = server.market.symbols.length
  return [
    (values.redis
      ? `tickwire feed: edge node, market from ${values.redis}`
      : `tickwire feed: ${count} symbols, ${values.hz ?? 10} moves/s, seed ${values.seed ?? 1}`) +
      (values['no-compression'] ? ', no compression' : ''),
    `  WebSocket ${server.url}`,
    `  REST      ${server.restUrl}/prices?symbols=BTC-USD,AAPL`,
    `  SSE       ${server.sseUrl}?symbols=BTC-USD,AAPL`,
    `  health    ${server.restUrl}/health   metrics ${server.restUrl}/metrics`,
    '',
  ].join('\n')
}
