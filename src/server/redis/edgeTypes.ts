/**
 * The shapes of an edge node's Redis side (see edgeMarket.ts): its options, what it tells
 * the node, what it counts, and the market it implements.
 */
import type { Market, SymbolMove, SymbolSnapshot } from '../market'
import type { RedisConnectionOptions } from './client'

/** Options of `createEdgeMarket` (edge nodes: `createFeedServer({ redis })`). */
export interface EdgeMarketOptions extends RedisConnectionOptions {
  /** How often the node re-reads the market's meta and checks the lease. @defaultValue 1000 */
  pollMs?: number
}

/** How the edge market reaches its node. */
export interface EdgeMarketHooks {
  /** Moves of wanted symbols, in channel order, each checked and contiguous. */
  publish(moves: SymbolMove[]): void
  /** These symbols have a fresh vouched snapshot: send it to their subscribers. */
  refresh(symbols: string[]): void
}

/** Counters of a node's Redis side (the `redis` part of `/metrics`). */
export interface EdgeRedisStats {
  /** Both connections are up and the market is known. */
  connected: boolean
  /** Why the node is degraded, when it is. */
  reason?: string
  /** A publisher holds the lease (checked every `pollMs`). */
  publisher: boolean
  /** Channels this node is subscribed to right now. */
  channels: number
  /** Channel messages received. */
  messages: number
  /** Channel messages refused as malformed (never forwarded). */
  malformed: number
  /** Why the last malformed message was refused. */
  lastMalformed?: string
  /** Moves dropped because their seq was not newer than the node's. */
  duplicates: number
  /** Seq gaps seen (each re-primes its symbol from the latest hash). */
  gaps: number
  /** Moves of symbols no client here wants (shard channels carry those). */
  unwanted: number
  /** Times both connections came back after a loss. */
  recoveries: number
  /** Socket and protocol errors of both connections (each failed reconnect counts). */
  redisErrors: number
}

/** The market of an edge node, see the module comment. */
export interface EdgeMarket extends Market {
  want(symbol: string): void
  unwant(symbol: string): void
  /** The channels subscribed now (tests, metrics). */
  channels(): string[]
  /** Vouched snapshots of these symbols read from Redis now (REST); undefined when down. */
  fetch(symbols: readonly string[]): Promise<Map<string, SymbolSnapshot> | undefined>
  stats(): EdgeRedisStats
  close(): Promise<void>
}
