/**
 * The pub/sub channels an edge market (edgeMarket.ts) is subscribed to, under the channel
 * layout (`shards`) the publisher announced: a channel is subscribed while a wanted symbol
 * travels on it.
 *
 * Every SUBSCRIBE and UNSUBSCRIBE goes out on the one subscriber connection in the order this
 * module's state changes, and Redis applies them in that order. So the state changes as each
 * command is sent, not when it is answered: a layout change unsubscribes even the channels
 * whose SUBSCRIBE is still in flight, and the channels of the new layout are asked for after
 * that UNSUBSCRIBE (the same name can belong to both layouts, e.g. `#1` with 4 and 8 shards).
 */
import type { Redis } from 'ioredis'
import type { EdgeRedisStats } from './edgeTypes'
import { channelFor, type RedisKeys } from './keys'

/** The channel subscriptions of an edge market, see the module comment. */
export interface EdgeChannels {
  /** The channels subscribed now, or being subscribed. */
  list(): string[]
  /**
   * Subscribes the channels these symbols travel on that are not subscribed yet, and resolves
   * once all of them are. When the layout changes meanwhile, it covers them again on the new
   * one: it resolves subscribed on the layout current then.
   */
  cover(symbols: readonly string[]): Promise<void>
  /** Unsubscribes the channel of `symbol` unless one of `wanted` still travels on it. */
  release(symbol: string, wanted: Iterable<string>): void
  /**
   * Takes the announced layout. A changed one unsubscribes every channel of the old layout
   * and returns true: the caller must then cover its wanted symbols again (on the new layout)
   * and re-read their snapshots, as the moves published meanwhile never reached this node.
   */
  setShards(shards: number): boolean
  /** Counts layout changes: a snapshot read under another layout may have missed moves. */
  layout(): number
  /** Forgets the subscriptions: the subscriber connection dropped them. */
  forget(): void
}

/** Tracks the channels of `sub`, the edge market's subscriber connection. */
export function createEdgeChannels(
  sub: Redis,
  keys: RedisKeys,
  stats: EdgeRedisStats,
): EdgeChannels {
  // Channel -> the reply to the SUBSCRIBE that asked for it (settled or still in flight).
  const subscribed = new Map<string, Promise<unknown>>()
  let shards = 0
  let layout = 0
  // Called after every change of `subscribed`, so /metrics never shows a stale count.
  const counted = () => void (stats.channels = subscribed.size)

  function subscribe(channels: string[]): void {
    const reply = sub.subscribe(...channels)
    for (const channel of channels) subscribed.set(channel, reply)
    counted()
    // A refused SUBSCRIBE leaves its channels to be asked for again (a dropped connection
    // clears them all through `forget`); whoever awaits the reply sees the failure.
    reply.catch(() => {
      for (const channel of channels)
        if (subscribed.get(channel) === reply) subscribed.delete(channel)
      counted()
    })
  }

  return {
    list: () => [...subscribed.keys()],
    async cover(symbols) {
      for (;;) {
        const coveredLayout = layout
        const needed = [...new Set(symbols.map((s) => channelFor(keys, s, shards)))]
        const missing = needed.filter((c) => !subscribed.has(c))
        if (missing.length > 0) subscribe(missing)
        await Promise.all(needed.map((c) => subscribed.get(c)))
        if (coveredLayout === layout) return
      }
    },
    release(symbol, wanted) {
      const channel = channelFor(keys, symbol, shards)
      if (!subscribed.has(channel)) return
      for (const other of wanted) if (channelFor(keys, other, shards) === channel) return
      subscribed.delete(channel)
      counted()
      sub.unsubscribe(channel).catch(() => undefined)
    },
    setShards(next) {
      if (next === shards) return false
      shards = next
      layout++
      const old = [...subscribed.keys()]
      subscribed.clear()
      counted()
      // A failure means the connection dropped, and with it every subscription.
      if (old.length > 0) sub.unsubscribe(...old).catch(() => undefined)
      return true
    },
    layout: () => layout,
    forget() {
      subscribed.clear()
      counted()
    },
  }
}
