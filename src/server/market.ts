/**
 * The simulated market behind the reference feed server: a seeded random walk per symbol.
 *
 * Everything random comes from one PRNG seeded by `seed`, and only `step()` draws from it, so
 * two markets with the same seed and symbols produce the same prices after the same number of
 * steps whatever the clock says. Tests rely on that to predict values.
 */
import { describeSymbol, DEFAULT_SYMBOLS, type AssetKind } from './catalogue'

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

interface SymbolState {
  kind: AssetKind
  decimals: number
  open24h: number
  /** Volume added by one average trade, in base units. */
  tradeSize: number
  seq: number
  ts: number
  data: PriceData
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

function gaussian(random: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm away from 0.
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals))
}

/** Price decimals fixed at start: cents for stocks, about four significant digits for crypto. */
function decimalsFor(kind: AssetKind, price: number): number {
  if (kind === 'stock') return 2
  return Math.min(10, Math.max(2, 4 - Math.floor(Math.log10(price))))
}

// Per-move volatility: crypto moves about twice as much as stocks.
const SIGMA: Record<AssetKind, number> = { crypto: 0.0008, stock: 0.0004 }
// Pull toward the 24h open so a board left running for hours does not drift off.
const MEAN_REVERSION = 0.002

/** Creates a market; see {@link MarketOptions} for the defaults. */
export function createMarket(options: MarketOptions = {}): Market {
  const symbols = [...new Set(options.symbols ?? DEFAULT_SYMBOLS)]
  const random = createRandom(options.seed ?? 1)
  const now = options.now ?? Date.now
  const share = Math.min(1, Math.max(0, options.updateShare ?? 0.25))
  const moveCount = Math.max(1, Math.round(symbols.length * share))
  const states = new Map<string, SymbolState>()
  const start = now()

  for (const symbol of symbols) {
    const entry = describeSymbol(symbol)
    const decimals = decimalsFor(entry.kind, entry.price)
    const open24h = entry.price * (1 + gaussian(random) * 0.02)
    const price = round(entry.price, decimals)
    // Daily turnover of a few hundred million USD for crypto, a few million shares for stocks.
    const volume =
      entry.kind === 'crypto'
        ? round((2e8 * (0.5 + random())) / price, 4)
        : Math.round(5e6 * (0.5 + random()))
    const state: SymbolState = {
      kind: entry.kind,
      decimals,
      open24h,
      tradeSize: volume / 20_000,
      seq: 0,
      ts: start,
      data: {
        price,
        bid: price,
        ask: price,
        volume,
        change24h: 0,
        high24h: round(Math.max(price, open24h) * (1 + random() * 0.01), decimals),
        low24h: round(Math.min(price, open24h) * (1 - random() * 0.01), decimals),
      },
    }
    Object.assign(state.data, quote(state, price))
    states.set(symbol, state)
  }

  function quote(state: SymbolState, price: number): Pick<PriceData, 'bid' | 'ask' | 'change24h'> {
    const tick = Math.pow(10, -state.decimals)
    const relative = state.kind === 'crypto' ? 0.00005 : 0.0001
    const half = Math.max(tick, price * relative * (0.5 + random()))
    const bid = round(price - half, state.decimals)
    const ask = Math.max(round(price + half, state.decimals), round(bid + tick, state.decimals))
    return { bid, ask, change24h: round((price / state.open24h - 1) * 100, 2) }
  }

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
      for (let i = 0; i < moveCount; i++) {
        const j = i + Math.floor(random() * (order.length - i))
        const picked = order[j] as number
        order[j] = order[i] as number
        order[i] = picked
      }
      const picked = order.slice(0, moveCount).sort((a, b) => a - b)
      const moves: SymbolMove[] = []
      for (const index of picked) {
        const symbol = symbols[index] as string
        const state = states.get(symbol) as SymbolState
        const old = state.data
        const pull = -MEAN_REVERSION * Math.log(old.price / state.open24h)
        const raw = old.price * Math.exp(SIGMA[state.kind] * gaussian(random) + pull)
        const price = Math.max(round(raw, state.decimals), Math.pow(10, -state.decimals))
        const traded = state.tradeSize * (0.2 + 1.6 * random())
        const volume =
          state.kind === 'crypto' ? round(old.volume + traded, 4) : Math.round(old.volume + traded)
        const next: PriceData = {
          ...old,
          ...quote(state, price),
          price,
          volume,
          high24h: Math.max(old.high24h, price),
          low24h: Math.min(old.low24h, price),
        }
        moves.push(commit(symbol, state, next))
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
