/**
 * The market of an edge node: a read-only view of what a publisher writes to Redis. It
 * implements the same `Market` the sessions and HTTP side read, so they serve clients exactly
 * as in the embedded server, and adds what only a node needs:
 *
 * - interest: `want`/`unwant` (driven by the hub) subscribe to a symbol's channel only while
 *   a client wants the symbol;
 * - vouching: a symbol has a value only once primed (channel subscribed first, then the
 *   latest snapshot read, then the deltas that raced it applied), and loses it the moment
 *   either Redis connection drops, so nothing stale is served as live;
 * - checks: every channel message is validated (codec.ts); malformed ones are counted and
 *   dropped, duplicates dropped, and a seq gap re-primes the symbol from the latest hash.
 */
import type { Redis } from 'ioredis'
import type { SymbolMove, SymbolSnapshot } from '../market'
import { openRedis, startConnecting } from './client'
import { decodeMoves, decodeSnapshot, decodeSymbolList } from './codec'
import { initialEdgeStats, readLatest } from './edgeLatest'
import type { EdgeMarket, EdgeMarketHooks, EdgeMarketOptions, EdgeRedisStats } from './edgeTypes'
import { channelFor, redisKeys } from './keys'

export type { EdgeMarket, EdgeMarketHooks, EdgeMarketOptions, EdgeRedisStats } from './edgeTypes'

interface Entry {
  snap: SymbolSnapshot | undefined
  /** Moves that arrived while the snapshot was being read (null when not priming). */
  pending: SymbolMove[] | null
}

/** Connects an edge market to Redis (both connections retry with backoff on their own). */
export function createEdgeMarket(options: EdgeMarketOptions, hooks: EdgeMarketHooks): EdgeMarket {
  const keys = redisKeys(options.prefix)
  const stats: EdgeRedisStats = initialEdgeStats()
  const onError = () => void stats.redisErrors++
  const cmd: Redis = openRedis(options, 'tickwire-node', onError)
  const sub: Redis = openRedis(options, 'tickwire-node-sub', onError)
  let symbols: string[] = []
  let known = new Set<string>()
  let shards = 0
  const entries = new Map<string, Entry>()
  const subscribed = new Set<string>()
  const toPrime = new Set<string>()
  let flushing = false
  let closed = false
  let everUp = false
  let outbox: SymbolMove[] = []
  let outboxQueued = false

  function down(reason: string): void {
    if (!stats.connected && stats.reason === reason) return
    stats.connected = false
    stats.reason = reason
    subscribed.clear()
    stats.channels = 0
    toPrime.clear()
    // Moves read just before the loss are not sent: the node can no longer vouch for them.
    outbox = []
    for (const entry of entries.values()) {
      entry.snap = undefined
      entry.pending = null
    }
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
    const nextShards = Math.max(0, Math.floor(Number(shardText ?? 0)) || 0)
    const layoutChanged = nextShards !== shards
    symbols = decoded.value
    known = new Set(symbols)
    shards = nextShards
    if (layoutChanged && subscribed.size > 0) {
      await sub.unsubscribe(...subscribed)
      subscribed.clear()
    }
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
      for (const symbol of entries.keys()) primeSoon(symbol)
    } catch {
      // The connection dropped again; its 'ready' brings us back here.
    }
  }

  for (const client of [cmd, sub]) {
    client.on('ready', () => void up())
    client.on('close', () => down('Redis connection lost; reconnecting'))
  }
  sub.on('message', (_channel: string, text: string) => onMessage(text))
  startConnecting(cmd)
  startConnecting(sub)

  function onMessage(text: string): void {
    stats.messages++
    const decoded = decodeMoves(text)
    if (!decoded.ok) {
      stats.malformed++
      stats.lastMalformed = decoded.reason
      return
    }
    for (const move of decoded.value) {
      const entry = entries.get(move.symbol)
      if (!entry) {
        stats.unwanted++
        continue
      }
      if (entry.pending) {
        entry.pending.push(move)
        continue
      }
      if (applyMove(entry, move)) outbox.push(move)
    }
    if (outbox.length > 0 && !outboxQueued) {
      outboxQueued = true
      queueMicrotask(sendOutbox)
    }
  }

  /**
   * Hands the hub every move of the channel messages read from one socket chunk at once:
   * with a channel per symbol, one market step arrives as many messages, and a client should
   * still get one frame per step (as from the embedded server), not one per symbol.
   */
  function sendOutbox(): void {
    outboxQueued = false
    if (outbox.length === 0) return
    const moves = outbox
    outbox = []
    hooks.publish(moves)
  }

  /** Applies a move to a primed entry; false (and maybe a re-prime) when it cannot. */
  function applyMove(entry: Entry, move: SymbolMove): boolean {
    const snap = entry.snap
    if (!snap) {
      primeSoon(move.symbol)
      return false
    }
    if (move.seq <= snap.seq) {
      stats.duplicates++
      return false
    }
    if (move.seq !== snap.seq + 1) {
      stats.gaps++
      entry.snap = undefined
      primeSoon(move.symbol)
      return false
    }
    entry.snap = {
      symbol: snap.symbol,
      seq: move.seq,
      ts: move.ts,
      data: { ...snap.data, ...move.data },
    }
    return true
  }

  function primeSoon(symbol: string): void {
    const entry = entries.get(symbol)
    if (!entry || entry.pending || !stats.connected) return
    entry.pending = []
    toPrime.add(symbol)
    if (!flushing) {
      flushing = true
      setImmediate(() => void flush())
    }
  }

  /** Subscribes the channels the batch needs, then reads their latest snapshots. */
  async function flush(): Promise<void> {
    const batch = [...toPrime]
    toPrime.clear()
    flushing = false
    if (batch.length === 0) return
    try {
      const channels = [...new Set(batch.map((s) => channelFor(keys, s, shards)))].filter(
        (c) => !subscribed.has(c),
      )
      if (channels.length > 0) {
        await sub.subscribe(...channels)
        for (const channel of channels) subscribed.add(channel)
        stats.channels = subscribed.size
      }
      const values = await cmd.hmget(keys.latest, ...batch)
      const fresh: string[] = []
      batch.forEach((symbol, i) => {
        const entry = entries.get(symbol)
        if (!entry?.pending || !stats.connected) return
        const text = values[i]
        const decoded = typeof text === 'string' ? decodeSnapshot(text) : undefined
        const pending = entry.pending
        entry.pending = null
        if (!decoded?.ok || decoded.value.symbol !== symbol) {
          if (decoded && !decoded.ok) stats.malformed++
          entry.snap = undefined
          return
        }
        entry.snap = decoded.value
        for (const move of pending) if (move.seq > decoded.value.seq) applyMove(entry, move)
        fresh.push(symbol)
      })
      if (fresh.length > 0) hooks.refresh(fresh)
    } catch {
      // Usually a connection dropped mid-way ('close' clears the state and 'ready' primes
      // again); otherwise try these symbols once more shortly.
      for (const symbol of batch) {
        const entry = entries.get(symbol)
        if (entry?.pending) entry.pending = null
      }
      setTimeout(() => batch.forEach(primeSoon), 200)
    }
  }

  const poll = setInterval(() => {
    if (cmd.status !== 'ready') return
    cmd.pttl(keys.lease).then(
      (ttl) => {
        stats.publisher = ttl !== -2
      },
      () => undefined,
    )
    if (stats.connected) loadMeta().catch(() => undefined)
    else void up()
  }, options.pollMs ?? 1000)

  const vouched = (symbol: string): SymbolSnapshot | undefined => {
    if (!stats.connected) return undefined
    const entry = entries.get(symbol)
    return entry && !entry.pending ? entry.snap : undefined
  }

  return {
    get symbols() {
      return symbols
    },
    has: (symbol) => known.has(symbol),
    snapshot(symbol) {
      const snap = vouched(symbol)
      return snap && { ...snap, data: { ...snap.data } }
    },
    step: () => [],
    apply: () => undefined,
    resetSeq: () => undefined,
    want(symbol) {
      if (entries.has(symbol)) return
      entries.set(symbol, { snap: undefined, pending: null })
      primeSoon(symbol)
    },
    unwant(symbol) {
      entries.delete(symbol)
      const channel = channelFor(keys, symbol, shards)
      if (!subscribed.has(channel)) return
      for (const other of entries.keys()) if (channelFor(keys, other, shards) === channel) return
      subscribed.delete(channel)
      stats.channels = subscribed.size
      sub.unsubscribe(channel).catch(() => undefined)
    },
    channels: () => [...subscribed],
    async fetch(list) {
      if (!stats.connected) return undefined
      try {
        return await readLatest(
          cmd,
          keys.latest,
          list.filter((s) => known.has(s)),
        )
      } catch {
        return undefined
      }
    },
    stats: () => ({ ...stats }),
    async close() {
      closed = true
      clearInterval(poll)
      cmd.disconnect()
      sub.disconnect()
    },
  }
}
