/**
 * The link of an edge market (edgeMarket.ts) to Redis: its two connections, whether both are
 * up, the market they announce (symbols and channel layout), and the poll that re-reads the
 * announcement and checks that a publisher holds the lease.
 */
import type { Redis } from 'ioredis'
import { startConnecting } from './client'
import { decodeSymbolList } from './codec'
import type { EdgeChannels } from './edgeChannels'
import type { EdgeRedisStats } from './edgeTypes'
import type { RedisKeys } from './keys'

/** What a link works with, and what it tells the market. */
export interface EdgeLinkParts {
  /** The command connection and the subscriber connection, not connected yet. */
  cmd: Redis
  sub: Redis
  keys: RedisKeys
  stats: EdgeRedisStats
  channels: EdgeChannels
  pollMs: number
  /** A channel message arrived. */
  message(text: string): void
  /** The link is down: forget whatever cannot be vouched for any more. */
  lost(): void
  /** Both connections are up again and the market is known: prime every wanted symbol. */
  restored(): void
  /**
   * While up, the publisher announced another channel layout and the old layout's channels
   * were dropped: cover every wanted symbol on the new one and prime it again. (A layout read
   * while down needs no call: `restored` primes every wanted symbol on it.)
   */
  relaid(): void
}

/** An edge market's link to Redis, see the module comment. */
export interface EdgeLink {
  /** The symbols of the announced market. */
  readonly symbols: string[]
  /** Whether the announced market holds this symbol. */
  has(symbol: string): boolean
  /** Stops polling and disconnects both connections. */
  close(): void
}

/** Starts connecting both connections (they retry with backoff on their own). */
export function openEdgeLink(parts: EdgeLinkParts): EdgeLink {
  const { cmd, sub, keys, stats, channels } = parts
  let symbols: string[] = []
  let known = new Set<string>()
  let closed = false
  let everUp = false

  function down(reason: string): void {
    if (!stats.connected && stats.reason === reason) return
    stats.connected = false
    stats.reason = reason
    parts.lost()
  }

  async function loadMeta(): Promise<boolean> {
    const [list, shardText] = await cmd.hmget(keys.meta, 'symbols', 'shards')
    const decoded = decodeSymbolList(list ?? null)
    if (!decoded.ok) {
      down(
        decoded.reason === 'no market announced'
          ? 'no publisher has announced the market'
          : `bad market meta: ${decoded.reason}`,
      )
      return false
    }
    symbols = decoded.value
    known = new Set(symbols)
    const relaid = channels.setShards(Math.max(0, Math.floor(Number(shardText ?? 0)) || 0))
    if (relaid && stats.connected) parts.relaid()
    return true
  }

  /** Both connections up: learn the market, then prime every wanted symbol afresh. */
  async function up(): Promise<void> {
    if (closed || cmd.status !== 'ready' || sub.status !== 'ready') return
    try {
      if (!(await loadMeta())) return
      if (everUp && !stats.connected) stats.recoveries++
      everUp = true
      stats.connected = true
      delete stats.reason
      parts.restored()
    } catch {
      // The connection dropped again; its 'ready' brings us back here.
    }
  }

  for (const client of [cmd, sub]) {
    client.on('ready', () => void up())
    client.on('close', () => down('Redis connection lost; reconnecting'))
  }
  sub.on('message', (_channel: string, text: string) => parts.message(text))
  startConnecting(cmd)
  startConnecting(sub)

  const poll = setInterval(() => {
    if (cmd.status !== 'ready') return
    const leaseSeen = (ttl: number) => void (stats.publisher = ttl !== -2)
    cmd.pttl(keys.lease).then(leaseSeen, () => undefined)
    if (stats.connected) loadMeta().catch(() => undefined)
    else void up()
  }, parts.pollMs)

  return {
    get symbols() {
      return symbols
    },
    has: (symbol) => known.has(symbol),
    close() {
      closed = true
      clearInterval(poll)
      cmd.disconnect()
      sub.disconnect()
    },
  }
}
