/**
 * How a publisher (publisher.ts) writes to Redis: each batch of moves through the
 * `PUBLISH_MOVES` script (scripts.ts), which issues per-symbol seqs, stores the latest
 * snapshots and publishes the moves only while the caller holds the lease; and, on taking
 * over, the latest snapshots read back so the market continues from them.
 */
import type { Redis } from 'ioredis'
import type { SymbolMove } from '../market'
import { runScript } from './client'
import { decodeSnapshot, encodeData } from './codec'
import { channelFor, type RedisKeys } from './keys'
import { PUBLISH_MOVES } from './scripts'
import type { MoveSource } from './sources'

/** The symbols read per HMGET while taking over. */
const HMGET_CHUNK = 500

/** The counters a writer keeps (fields of the publisher's stats). */
export interface MoveWriterCounts {
  /** Moves written. */
  moves: number
  /** Writes refused because the lease had passed to another publisher. */
  fenced: number
}

/** What a writer writes with and where. */
export interface MoveWriterParts {
  redis: Redis
  keys: RedisKeys
  /** The channel layout (see `channelFor` in keys.ts). */
  shards: number
  /** The publisher's lease token: the script refuses writes under any other. */
  token: string
  source: MoveSource
  now: () => number
  counts: MoveWriterCounts
  /** A Redis call failed. */
  onError(error: Error): void
  /** A write was refused: the lease is no longer ours. */
  onFenced(): void
}

/** Writes a publisher's moves, see the module comment. */
export interface MoveWriter {
  /** Writes moves; resolves with the issued seqs, or null when fenced or failed. */
  write(moves: SymbolMove[]): Promise<number[] | null>
  /**
   * Continues the source from the latest snapshots Redis holds and resolves with a move
   * carrying the whole current data of each symbol Redis has none for. Rejects when Redis does.
   */
  adoptLatest(): Promise<SymbolMove[]>
}

/** Creates a writer. */
export function createMoveWriter(parts: MoveWriterParts): MoveWriter {
  const { redis, keys, shards, token, source, now, counts } = parts
  /** Highest seq this process has issued or seen per symbol: the floor if Redis forgets. */
  const lastSeq = new Map<string, number>()

  async function write(moves: SymbolMove[]): Promise<number[] | null> {
    if (moves.length === 0) return []
    const args: Array<string | number> = [token, Math.round(now()), moves.length]
    for (const move of moves) {
      const full = source.current(move.symbol)
      if (!full) continue
      args.push(
        move.symbol,
        channelFor(keys, move.symbol, shards),
        encodeData(move.data),
        encodeData(full),
        lastSeq.get(move.symbol) ?? 0,
      )
    }
    args[2] = (args.length - 3) / 5
    try {
      const keyList = [keys.lease, keys.seq, keys.latest]
      const seqs = (await runScript(redis, PUBLISH_MOVES, keyList, args)) as number[] | null
      if (seqs === null) {
        counts.fenced++
        parts.onFenced()
        return null
      }
      seqs.forEach((seq, i) => {
        const symbol = args[3 + i * 5] as string
        if (seq > (lastSeq.get(symbol) ?? 0)) lastSeq.set(symbol, seq)
      })
      counts.moves += seqs.length
      return seqs
    } catch (error) {
      parts.onError(error as Error)
      return null
    }
  }

  async function adoptLatest(): Promise<SymbolMove[]> {
    const missing: SymbolMove[] = []
    for (let i = 0; i < source.symbols.length; i += HMGET_CHUNK) {
      const chunk = source.symbols.slice(i, i + HMGET_CHUNK)
      const values = await redis.hmget(keys.latest, ...chunk)
      chunk.forEach((symbol, j) => {
        const text = values[j]
        const decoded = typeof text === 'string' ? decodeSnapshot(text) : undefined
        if (decoded?.ok && decoded.value.symbol === symbol) {
          source.adopt(symbol, decoded.value.data)
          lastSeq.set(symbol, Math.max(lastSeq.get(symbol) ?? 0, decoded.value.seq))
        } else {
          const data = source.current(symbol)
          if (data) missing.push({ symbol, seq: 0, ts: now(), data })
        }
      })
    }
    return missing
  }

  return { write, adoptLatest }
}
