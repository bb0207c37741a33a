/**
 * The simulated market behind the reference feed server: a seeded random walk per symbol.
 *
 * Everything random comes from one PRNG seeded by `seed`, and only `step()` draws from it, so
 * two markets with the same seed and symbols produce the same prices after the same number of
 * steps whatever the clock says. Tests rely on that to predict values.
 */
import { DEFAULT_SYMBOLS } from './catalogue'
import { initialState, pickMovers, walk, type SymbolState } from './marketWalk'

/** The price fields the market publishes (PROTOCOL.md 3.2 `data`). */
export interface PriceData {
  price: number
  bid: number
  ask: number
  volume: number
  change24h: number
  high24h: number
  low24h: number
}

/** One symbol's published state at a given `seq`. */
export interface SymbolSnapshot {
  symbol: string
  seq: number
  ts: number
  data: PriceData
}

/** What one symbol did in one step: only the fields that changed. */
export interface SymbolMove {
  symbol: string
  seq: number
  ts: number
  data: Partial<PriceData>
}

/** Options of {@link createMarket}. */
export interface MarketOptions {
  /** Symbol names; unknown names get a stable made-up price. @defaultValue DEFAULT_SYMBOLS */
  symbols?: readonly string[]
  /** PRNG seed: same seed, same walk. @defaultValue 1 */
  seed?: number
  /** Share of the symbols that move in one step, in (0, 1]; at least one moves. @defaultValue 0.25 */
  updateShare?: number
  /** Clock for `ts`; it never influences prices. @defaultValue Date.now */
  now?: () => number
}

/** A running simulated market. */
export interface Market {
  /** The symbols in their configured order. */
  readonly symbols: readonly string[]
  /** Whether the market knows this symbol. */
  has(symbol: string): boolean
  /** The current full state of a symbol, or `undefined` when unknown. */
  snapshot(symbol: string): SymbolSnapshot | undefined
  /** Moves a share of the symbols once and returns what changed, in symbol order. */
  step(): SymbolMove[]
  /** Merges fields into a symbol (tests: force a price) and returns the move, seq + 1. */
  apply(symbol: string, data: Partial<PriceData>): SymbolMove | undefined
  /** Sets a symbol's `seq` back to `seq` (default 0), as after a server restart. */
  resetSeq(symbol: string, seq?: number): void
}

/** mulberry32-style 32-bit generator: small, fast and good enough for a simulation. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000
  }
}

/** Creates a market; see {@link MarketOptions} for the defaults. */
export function createMarket(options: MarketOptions = {}): Market {
  const symbols = [...new Set(options.symbols ?? DEFAULT_SYMBOLS)]
  const random = createRandom(options.seed ?? 1)
  const now = options.now ?? Date.now
  const share = Math.min(1, Math.max(0, options.updateShare ?? 0.25))
  const moveCount = Math.max(1, Math.round(symbols.length * share))
  const states = new Map<string, SymbolState>()
  const start = now()

  for (const symbol of symbols) states.set(symbol, initialState(symbol, random, start))

  function commit(symbol: string, state: SymbolState, next: PriceData): SymbolMove {
    const changed: Partial<PriceData> = {}
    for (const key of Object.keys(next) as Array<keyof PriceData>) {
      if (next[key] !== state.data[key]) changed[key] = next[key]
    }
    state.data = next
    state.seq += 1
    state.ts = now()
    return { symbol, seq: state.seq, ts: state.ts, data: changed }
  }

  // A permutation reshuffled in part at each step: picks `moveCount` distinct symbols.
  const order = symbols.map((_, i) => i)

  return {
    symbols,
    has: (symbol) => states.has(symbol),
    snapshot(symbol) {
      const state = states.get(symbol)
      if (!state) return undefined
      return { symbol, seq: state.seq, ts: state.ts, data: { ...state.data } }
    },
    step() {
      if (symbols.length === 0) return []
      const moves: SymbolMove[] = []
      for (const index of pickMovers(order, moveCount, random)) {
        const symbol = symbols[index] as string
        const state = states.get(symbol) as SymbolState
        moves.push(commit(symbol, state, walk(state, random)))
      }
      return moves
    },
    apply(symbol, data) {
      const state = states.get(symbol)
      if (!state) return undefined
      return commit(symbol, state, { ...state.data, ...data })
    },
    resetSeq(symbol, seq = 0) {
      const state = states.get(symbol)
      if (state) state.seq = seq
    },
  }
}
