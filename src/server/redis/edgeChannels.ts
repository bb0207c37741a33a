/**
 * The pub/sub channels an edge market (edgeMarket.ts) is subscribed to, under the channel
 * layout (`shards`) the publisher announced: a channel is subscribed while a wanted symbol
 * travels on it.
 */
import type { Redis } from 'ioredis'
import type { EdgeRedisStats } from './edgeTypes'
import { channelFor, type RedisKeys } from './keys'

/** The channel subscriptions of an edge market, see the module comment. */
export interface EdgeChannels {
  /** The channels subscribed now. */
  list(): string[]
  /** Subscribes the channels these symbols travel on that are not subscribed yet. */
  cover(symbols: readonly string[]): Promise<void>
  /** Unsubscribes the channel of `symbol` unless one of `wanted` still travels on it. */
  release(symbol: string, wanted: Iterable<string>): void
  /** Takes the announced layout; a changed one drops every subscription (they are re-made). */
  setShards(shards: number): Promise<void>
  /** Forgets the subscriptions: the subscriber connection dropped them. */
  forget(): void
}

/** Tracks the channels of `sub`, the edge market's subscriber connection. */
export function createEdgeChannels(
  sub: Redis,
  keys: RedisKeys,
  stats: EdgeRedisStats,
): EdgeChannels {
  const subscribed = new Set<string>()
  let shards = 0
  // Called after every change of `subscribed`, so /metrics never shows a stale count.
  const counted = () => void (stats.channels = subscribed.size)

  return {
    list: () => [...subscribed],
    async cover(symbols) {
      const channels = [...new Set(symbols.map((s) => channelFor(keys, s, shards)))].filter(
        (c) => !subscribed.has(c),
      )
      if (channels.length === 0) return
      await sub.subscribe(...channels)
      for (const channel of channels) subscribed.add(channel)
      counted()
    },
    release(symbol, wanted) {
      const channel = channelFor(keys, symbol, shards)
      if (!subscribed.has(channel)) return
      for (const other of wanted) if (channelFor(keys, other, shards) === channel) return
      subscribed.delete(channel)
      counted()
      sub.unsubscribe(channel).catch(() => undefined)
    },
    async setShards(next) {
      const layoutChanged = next !== shards
      shards = next
      if (layoutChanged && subscribed.size > 0) {
        await sub.unsubscribe(...subscribed)
        subscribed.clear()
        counted()
      }
    },
    forget() {
      subscribed.clear()
      counted()
    },
  }
}
