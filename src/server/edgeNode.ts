/**
 * The parts that turn `createFeedServer` into an edge node: an {@link EdgeMarket} reading
 * Redis, and a hub whose interest (first subscriber in, last one out) drives the market's
 * Redis subscriptions. Sessions, SSE streams and REST use them exactly as they use the
 * embedded simulated market.
 */
import { Hub, type Sink } from './hub'
import { createEdgeMarket, type EdgeMarket, type EdgeMarketOptions } from './redis/edgeMarket'

export type { EdgeMarket, EdgeMarketOptions, EdgeRedisStats } from './redis/edgeMarket'

/** A market from Redis and the hub it feeds. */
export interface EdgeParts {
  market: EdgeMarket
  hub: Hub
}

/** Creates and wires the edge market and its hub. */
export function createEdgeParts(options: EdgeMarketOptions): EdgeParts {
  // The market and the hub each need the other: the hub tells the market what is wanted,
  // the market hands the hub what moved. The hub's callbacks run only after both exist.
  const hub = new Hub({
    wanted: (symbol) => market.want(symbol),
    unwanted: (symbol) => market.unwant(symbol),
  })
  const market: EdgeMarket = createEdgeMarket(options, {
    publish: (moves) => hub.publish(moves),
    refresh(symbols) {
      const perSink = new Map<Sink, string[]>()
      for (const symbol of symbols) {
        for (const sink of hub.sinksOf(symbol)) {
          const list = perSink.get(sink)
          if (list) list.push(symbol)
          else perSink.set(sink, [symbol])
        }
      }
      for (const [sink, list] of perSink) sink.sendSnapshots(list)
    },
  })
  return { market, hub }
}
