/**
 * `createFeedPublisher`: the ingest side of a scaled-out feed. It owns the market (the
 * simulation or an upstream exchange stream), and while it holds the lease in Redis it
 * publishes every move with a Redis-issued per-symbol seq and keeps each symbol's latest
 * snapshot in a hash, from which any edge node serves snapshots. Run two for failover: the
 * standby takes over when the lease of the active one expires.
 */
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { MarketOptions } from './market'
import { openRedis, startConnecting, type RedisConnectionOptions } from './redis/client'
import { redisKeys } from './redis/keys'
import { createLease, type Lease } from './redis/lease'
import { createMoveWriter } from './redis/moveWriter'
import { createTakeover } from './redis/takeover'
import {
  simulatedSource,
  upstreamSource,
  type MoveSource,
  type UpstreamOptions,
} from './redis/sources'

export type { UpstreamOptions } from './redis/sources'
export type { RedisConnectionOptions } from './redis/client'

/** Options of {@link createFeedPublisher}. */
export interface FeedPublisherOptions extends Omit<MarketOptions, 'now'> {
  /** The Redis broker, plus the channel layout (see `shards`). */
  redis: RedisConnectionOptions & {
    /**
     * 0: one channel per symbol, so a node hears only the symbols its clients want. N > 0:
     * symbols hashed onto N channels (fewer PUBLISH calls, more unwanted traffic per node).
     * Edge nodes read it from Redis. @defaultValue 0
     */
    shards?: number
  }
  /** Simulated moves per second (ignored with `upstream`); 0 moves only on `step()`. @defaultValue 10 */
  tickHz?: number
  /** Read an exchange stream instead of simulating. @defaultValue undefined (simulate) */
  upstream?: UpstreamOptions
  /** Lease time to live: a dead publisher is replaced within about this plus `renewMs`. @defaultValue 3000 */
  leaseMs?: number
  /** Renew (standby: try to take) the lease this often. @defaultValue leaseMs / 3 */
  renewMs?: number
  /** Clock of `ts`. @defaultValue Date.now */
  now?: () => number
}

/** What `stats()` reports. */
export interface FeedPublisherStats {
  /** Holds the lease and publishes. */
  active: boolean
  /** Moves written to Redis since start. */
  moves: number
  /** Publish calls refused because the lease had passed to another publisher. */
  fenced: number
  /** Times this publisher won the lease. */
  takeovers: number
  /** Failed Redis calls (outages, timeouts). */
  redisErrors: number
  /** Message of the last failed Redis call. */
  lastError?: string
}

/** A running publisher. */
export interface FeedPublisher {
  /** This publisher's lease token (unique per instance). */
  readonly token: string
  /** The symbols this publisher's market holds (announced to the nodes in Redis). */
  readonly symbols: readonly string[]
  /** Holds the lease and publishes now. */
  readonly active: boolean
  /** Resolves once this publisher holds the lease and has written the market's state. */
  whenActive(): Promise<void>
  /**
   * Moves the simulated market once and publishes it; resolves with the issued seqs, or
   * null when this publisher is not active (nothing is written then).
   */
  step(): Promise<number[] | null>
  /** Counters (a copy). */
  stats(): FeedPublisherStats
  /** Stops publishing, hands the lease back so a standby takes over at once, disconnects. */
  close(): Promise<void>
}

/** Starts a publisher: it connects, then publishes whenever it holds the lease. */
export function createFeedPublisher(options: FeedPublisherOptions): FeedPublisher {
  const now = options.now ?? Date.now
  const keys = redisKeys(options.redis.prefix)
  const shards = Math.max(0, Math.floor(options.redis.shards ?? 0))
  const source: MoveSource = options.upstream
    ? upstreamSource(options.upstream)
    : simulatedSource({ ...options, now, tickHz: options.tickHz ?? 10 })
  const token = `${process.pid}:${randomUUID()}`
  const stats: FeedPublisherStats = {
    active: false,
    moves: 0,
    fenced: 0,
    takeovers: 0,
    redisErrors: 0,
  }
  const onError = (error: Error) => {
    stats.redisErrors++
    stats.lastError = error.message
  }
  const redis: Redis = openRedis(options.redis, 'tickwire-publisher', onError)
  startConnecting(redis)
  const writer = createMoveWriter({
    redis,
    keys,
    shards,
    token,
    source,
    now,
    counts: stats,
    onError,
    onFenced: () => void lease.check(),
  })
  const leaseMs = options.leaseMs ?? 3000
  const renewMs = options.renewMs ?? Math.max(50, Math.round(leaseMs / 3))
  const takeover = createTakeover({
    redis,
    keys,
    shards,
    source,
    writer,
    counts: stats,
    retryMs: renewMs,
    held: () => lease.held,
    onError,
  })
  const lease: Lease = createLease({
    redis,
    key: keys.lease,
    token,
    ttlMs: leaseMs,
    renewMs,
    now,
    onError,
    onChange: (held) => takeover.leaseChanged(held),
  })
  // The first round usually runs before the connection is up: try again as soon as it is.
  redis.on('ready', () => void lease.check())

  let closing: Promise<void> | undefined
  return {
    token,
    symbols: source.symbols,
    get active() {
      return stats.active
    },
    whenActive: () => takeover.whenActive(),
    step: () => (stats.active ? writer.write(source.step()) : Promise.resolve(null)),
    stats: () => ({ ...stats }),
    close() {
      closing ??= (async () => {
        takeover.stop()
        await lease.stop()
        redis.disconnect()
      })()
      return closing
    },
  }
}
