/**
 * Pieces of an edge market (edgeMarket.ts) that hold no state of their own: the zeroed stats
 * it starts from, and reading symbols' latest snapshots from the `latest` hash.
 */
import type { Redis } from 'ioredis'
import type { SymbolSnapshot } from '../market'
import { decodeSnapshot } from './codec'
import type { EdgeRedisStats } from './edgeTypes'

/** The stats of an edge market that has not reached Redis yet. */
export function initialEdgeStats(): EdgeRedisStats {
  return {
    connected: false,
    reason: 'connecting to Redis',
    publisher: false,
    channels: 0,
    messages: 0,
    malformed: 0,
    duplicates: 0,
    gaps: 0,
    unwanted: 0,
    recoveries: 0,
    redisErrors: 0,
  }
}

/**
 * The latest snapshot of each symbol that has a well-formed one under its own name; symbols
 * without one are left out. Rejects when Redis does.
 */
export async function readLatest(
  cmd: Redis,
  latestKey: string,
  symbols: string[],
): Promise<Map<string, SymbolSnapshot>> {
  const result = new Map<string, SymbolSnapshot>()
  if (symbols.length === 0) return result
  const values = await cmd.hmget(latestKey, ...symbols)
  symbols.forEach((symbol, i) => {
    const text = values[i]
    const decoded = typeof text === 'string' ? decodeSnapshot(text) : undefined
    if (decoded?.ok && decoded.value.symbol === symbol) result.set(symbol, decoded.value)
  })
  return result
}
