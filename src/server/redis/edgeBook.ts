/**
 * The wanted symbols of an edge market (edgeMarket.ts) and what the node can vouch for about
 * each: a snapshot once primed, or the moves that raced a priming read. It applies moves in
 * seq order and asks for a re-prime when one cannot be applied.
 */
import type { SymbolMove, SymbolSnapshot } from '../market'
import { decodeSnapshot } from './codec'
import type { EdgeRedisStats } from './edgeTypes'

/** One wanted symbol. */
export interface EdgeEntry {
  snap: SymbolSnapshot | undefined
  /** Moves that arrived while the snapshot was being read (null when not priming). */
  pending: SymbolMove[] | null
}

/** The wanted symbols of an edge market, see the module comment. */
export interface EdgeBook {
  get(symbol: string): EdgeEntry | undefined
  /** Starts wanting a symbol; false when it was wanted already. */
  add(symbol: string): boolean
  delete(symbol: string): void
  /** The wanted symbols. */
  symbols(): IterableIterator<string>
  /** Forgets every snapshot and every priming read: the node can no longer vouch for them. */
  forgetAll(): void
  /** The snapshot of a wanted symbol, while connected, primed and not priming again. */
  vouched(symbol: string): SymbolSnapshot | undefined
  /** Applies a move to a primed entry; false (and maybe a re-prime) when it cannot. */
  apply(entry: EdgeEntry, move: SymbolMove): boolean
  /** Marks a wanted symbol as priming; false when it is not wanted or primes already. */
  startPriming(symbol: string): boolean
  /**
   * Ends a symbol's priming with the text read from the latest hash: true when the symbol is
   * vouched for now (the moves that raced the read applied on top).
   */
  settle(symbol: string, text: string | null | undefined): boolean
  /** Gives up these symbols' priming reads (they failed); their moves so far are dropped. */
  abandon(symbols: readonly string[]): void
}

/**
 * Creates an empty book. `reprime` is called for a symbol whose next move cannot be applied
 * (not primed, or a seq gap); `stats` gets the duplicates, gaps and malformed snapshots.
 */
export function createEdgeBook(stats: EdgeRedisStats, reprime: (symbol: string) => void): EdgeBook {
  const entries = new Map<string, EdgeEntry>()

  function apply(entry: EdgeEntry, move: SymbolMove): boolean {
    const snap = entry.snap
    if (!snap) {
      reprime(move.symbol)
      return false
    }
    if (move.seq <= snap.seq) {
      stats.duplicates++
      return false
    }
    if (move.seq !== snap.seq + 1) {
      stats.gaps++
      entry.snap = undefined
      reprime(move.symbol)
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

  function settle(symbol: string, text: string | null | undefined): boolean {
    const entry = entries.get(symbol)
    if (!entry?.pending || !stats.connected) return false
    const decoded = typeof text === 'string' ? decodeSnapshot(text) : undefined
    const pending = entry.pending
    entry.pending = null
    if (!decoded?.ok || decoded.value.symbol !== symbol) {
      if (decoded && !decoded.ok) stats.malformed++
      entry.snap = undefined
      return false
    }
    entry.snap = decoded.value
    for (const move of pending) if (move.seq > decoded.value.seq) apply(entry, move)
    return true
  }

  return {
    get: (symbol) => entries.get(symbol),
    add(symbol) {
      if (entries.has(symbol)) return false
      entries.set(symbol, { snap: undefined, pending: null })
      return true
    },
    delete: (symbol) => void entries.delete(symbol),
    symbols: () => entries.keys(),
    forgetAll() {
      for (const entry of entries.values()) {
        entry.snap = undefined
        entry.pending = null
      }
    },
    vouched(symbol) {
      if (!stats.connected) return undefined
      const entry = entries.get(symbol)
      return entry && !entry.pending ? entry.snap : undefined
    },
    apply,
    startPriming(symbol) {
      const entry = entries.get(symbol)
      if (!entry || entry.pending || !stats.connected) return false
      entry.pending = []
      return true
    },
    settle,
    abandon(symbols) {
      for (const symbol of symbols) {
        const entry = entries.get(symbol)
        if (entry?.pending) entry.pending = null
      }
    },
  }
}
