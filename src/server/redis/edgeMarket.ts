/**
 * The market of an edge node: a read-only view of what a publisher writes to Redis. It
 * implements the same `Market` the sessions and HTTP side read, so they serve clients exactly
 * as in the embedded server, and adds what only a node needs:
 *
 * - interest: `want`/`unwant` (driven by the hub) subscribe to a symbol's channel only while
 *   a client wants the symbol;
 * - vouching: a symbol has a value only once primed (channel subscribed first, then the
 *   latest snapshot read, then the deltas that raced it applied), and loses it the moment
 *   either Redis connection drops, so nothing stale is served as live (a new channel layout
 *   announced by the publisher re-primes every wanted symbol on it the same way);
 * - checks: every channel message is validated (codec.ts); malformed ones are counted and
 *   dropped, duplicates dropped, and a seq gap re-primes the symbol from the latest hash.
 *
 * This file wires the parts: edgeLink.ts (connections, announced market, poll),
 * edgeChannels.ts (subscriptions), edgeBook.ts (wanted symbols and their vouched values),
 * edgePrimer.ts (priming reads) and edgeInbound.ts (channel messages).
 */
import type { Redis } from 'ioredis'
import { openRedis } from './client'
import { createEdgeBook } from './edgeBook'
import { createEdgeChannels } from './edgeChannels'
import { createEdgeInbound } from './edgeInbound'
import { initialEdgeStats, readLatest } from './edgeLatest'
import { openEdgeLink } from './edgeLink'
import { createEdgePrimer } from './edgePrimer'
import type { EdgeMarket, EdgeMarketHooks, EdgeMarketOptions, EdgeRedisStats } from './edgeTypes'
import { redisKeys } from './keys'

export type { EdgeMarket, EdgeMarketHooks, EdgeMarketOptions, EdgeRedisStats } from './edgeTypes'

/** Connects an edge market to Redis (both connections retry with backoff on their own). */
export function createEdgeMarket(options: EdgeMarketOptions, hooks: EdgeMarketHooks): EdgeMarket {
  const keys = redisKeys(options.prefix)
  const stats: EdgeRedisStats = initialEdgeStats()
  const onError = () => void stats.redisErrors++
  const cmd: Redis = openRedis(options, 'tickwire-node', onError)
  const sub: Redis = openRedis(options, 'tickwire-node-sub', onError)
  const channels = createEdgeChannels(sub, keys, stats)
  // The book re-primes through the primer, which reads into the book: the callback runs only
  // once both exist.
  const book = createEdgeBook(stats, (symbol) => primer.primeSoon(symbol))
  const primer = createEdgePrimer({
    book,
    channels,
    cmd,
    latestKey: keys.latest,
    refresh: hooks.refresh,
  })
  const inbound = createEdgeInbound(book, stats, hooks.publish)
  const primeAll = () => {
    for (const symbol of book.symbols()) primer.primeSoon(symbol)
  }
  const link = openEdgeLink({
    cmd,
    sub,
    keys,
    stats,
    channels,
    pollMs: options.pollMs ?? 1000,
    message: inbound.read,
    lost() {
      channels.forget()
      primer.forget()
      inbound.forget()
      book.forgetAll()
    },
    restored: primeAll,
    // As after an outage: each wanted symbol stops being vouched for until its fresh snapshot
    // is read on the new layout, which its subscribers then get (moves published before the
    // node saw the new layout never reached it).
    relaid: primeAll,
  })

  return {
    get symbols() {
      return link.symbols
    },
    has: (symbol) => link.has(symbol),
    snapshot(symbol) {
      const snap = book.vouched(symbol)
      return snap && { ...snap, data: { ...snap.data } }
    },
    step: () => [],
    apply: () => undefined,
    resetSeq: () => undefined,
    want(symbol) {
      if (book.add(symbol)) primer.primeSoon(symbol)
    },
    unwant(symbol) {
      book.delete(symbol)
      channels.release(symbol, book.symbols())
    },
    channels: () => channels.list(),
    async fetch(list) {
      if (!stats.connected) return undefined
      try {
        return await readLatest(
          cmd,
          keys.latest,
          list.filter((s) => link.has(s)),
        )
      } catch {
        return undefined
      }
    },
    stats: () => ({ ...stats }),
    async close() {
      link.close()
    },
  }
}
