/**
 * What a publisher (publisher.ts) does as the lease (lease.ts) changes hands: on winning it,
 * continue from what Redis holds, fill in what it lacks, announce the market and start the
 * source, retrying while the lease stays ours; on losing it, stop at once.
 */
import type { Redis } from 'ioredis'
import type { RedisKeys } from './keys'
import type { MoveWriter } from './moveWriter'
import type { MoveSource } from './sources'

/** The counters a takeover keeps (fields of the publisher's stats). */
export interface TakeoverCounts {
  /** Holds the lease and publishes. */
  active: boolean
  /** Times the lease was won. */
  takeovers: number
}

/** What a takeover works with. */
export interface TakeoverParts {
  redis: Redis
  keys: RedisKeys
  /** The channel layout, announced with the symbols. */
  shards: number
  source: MoveSource
  writer: MoveWriter
  counts: TakeoverCounts
  /** Wait between two attempts to activate. */
  retryMs: number
  /** Whether the lease is held now. */
  held(): boolean
  /** A Redis call failed. */
  onError(error: Error): void
}

/** A publisher's reaction to its lease, see the module comment. */
export interface Takeover {
  /** The lease was won (true) or lost (false). */
  leaseChanged(held: boolean): void
  /** Resolves once active. */
  whenActive(): Promise<void>
  /** Stops for good: the source stops and no activation in flight completes. */
  stop(): void
}

/** Creates the takeover of a publisher. */
export function createTakeover(parts: TakeoverParts): Takeover {
  const { redis, keys, shards, source, writer, counts } = parts
  let activation = 0
  let activeWaiters: Array<() => void> = []

  /** On winning the lease: continue from what Redis holds, fill in what it lacks, announce. */
  async function activate(run: number): Promise<void> {
    const missing = await writer.adoptLatest()
    if (run !== activation) return
    await writer.write(missing)
    await redis.hset(keys.meta, 'symbols', JSON.stringify(source.symbols), 'shards', String(shards))
    if (run !== activation || !parts.held()) return
    counts.active = true
    source.start((moves) => void writer.write(moves))
    for (const resolve of activeWaiters.splice(0)) resolve()
  }

  /** Activates, retrying every renew period while the lease stays ours (Redis may blink). */
  async function tryActivate(run: number): Promise<void> {
    try {
      await activate(run)
    } catch (error) {
      parts.onError(error as Error)
      if (run !== activation) return
      setTimeout(() => {
        if (run === activation && parts.held()) void tryActivate(run)
      }, parts.retryMs)
    }
  }

  return {
    leaseChanged(held) {
      const run = ++activation
      if (!held) {
        counts.active = false
        source.stop()
        return
      }
      counts.takeovers++
      void tryActivate(run)
    },
    whenActive: () =>
      counts.active ? Promise.resolve() : new Promise((resolve) => activeWaiters.push(resolve)),
    stop() {
      activation++
      source.stop()
      counts.active = false
      activeWaiters = []
    },
  }
}
