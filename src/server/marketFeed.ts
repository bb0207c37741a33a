/**
 * The market side of a feed server (feedServer.ts): the market, simulated here or read from
 * Redis on an edge node, and the hub it publishes to, with the moves a test or the tick timer
 * asks for.
 */
import { createEdgeParts, type EdgeParts } from './edgeNode'
import { Hub } from './hub'
import { createMarket, type Market, type PriceData, type SymbolMove } from './market'
import type { FeedServerOptions } from './types'

/** A server's market and hub, see the module comment. */
export interface MarketFeed {
  readonly market: Market
  readonly hub: Hub
  /** The Redis side of an edge node; undefined when the market is simulated here. */
  readonly edge: EdgeParts | undefined
  /** Steps taken by `tick` so far. */
  readonly ticks: number
  /** Moves the market once and publishes the moves (`FeedServer.tick`). */
  tick(): SymbolMove[]
  /** Merges fields into a symbol and publishes the move (`FeedServer.publish`). */
  publish(symbol: string, data: Partial<PriceData>): SymbolMove | undefined
  /** Starts symbols' seqs over, maybe sending fresh snapshots (`FeedServer.resetSeq`). */
  resetSeq(symbols?: readonly string[], options?: { snapshot?: boolean }): void
}

/** Creates the market (from Redis with `options.redis`, else simulated) and its hub. */
export function createMarketFeed(options: FeedServerOptions, now: () => number): MarketFeed {
  // An edge node (options.redis) takes its market from Redis; otherwise it is simulated here.
  const edge = options.redis && createEdgeParts(options.redis)
  const market =
    edge?.market ??
    createMarket({
      ...(options.symbols && { symbols: options.symbols }),
      seed: options.seed ?? 1,
      updateShare: options.updateShare ?? 0.25,
      now,
    })
  const hub = edge?.hub ?? new Hub()
  let ticks = 0

  return {
    market,
    hub,
    edge,
    get ticks() {
      return ticks
    },
    tick() {
      const moves = market.step()
      ticks++
      hub.publish(moves)
      return moves
    },
    publish(symbol, data) {
      const move = market.apply(symbol, data)
      if (move) hub.publish([move])
      return move
    },
    resetSeq(symbols = market.symbols, { snapshot = false } = {}) {
      for (const symbol of symbols) market.resetSeq(symbol)
      if (!snapshot) return
      const wanted = new Set(symbols)
      for (const sink of hub.allSinks()) {
        const mine = [...hub.symbolsOf(sink)].filter((s) => wanted.has(s))
        if (mine.length > 0) sink.sendSnapshots(mine)
      }
    },
  }
}
