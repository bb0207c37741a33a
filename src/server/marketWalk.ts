/**
 * The random walk of the simulated market (market.ts): each symbol's starting state, and one
 * move of its price, quote, volume and 24h range. Every draw comes from the market's seeded
 * PRNG, in a fixed order, so the same seed gives the same prices.
 */
import { describeSymbol, type AssetKind } from './catalogue'
import type { PriceData } from './market'

/** One symbol of the simulated market. */
export interface SymbolState {
  kind: AssetKind
  decimals: number
  open24h: number
  /** Volume added by one average trade, in base units. */
  tradeSize: number
  seq: number
  ts: number
  data: PriceData
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

/** Bid, ask and 24h change around `price`, the spread drawn anew. */
function quote(
  state: SymbolState,
  price: number,
  random: () => number,
): Pick<PriceData, 'bid' | 'ask' | 'change24h'> {
  const tick = Math.pow(10, -state.decimals)
  const relative = state.kind === 'crypto' ? 0.00005 : 0.0001
  const half = Math.max(tick, price * relative * (0.5 + random()))
  const bid = round(price - half, state.decimals)
  const ask = Math.max(round(price + half, state.decimals), round(bid + tick, state.decimals))
  return { bid, ask, change24h: round((price / state.open24h - 1) * 100, 2) }
}

/** A symbol's state at `start`, priced from the catalogue (catalogue.ts). */
export function initialState(symbol: string, random: () => number, start: number): SymbolState {
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
  Object.assign(state.data, quote(state, price, random))
  return state
}

/** The data of a symbol after one move (its state is left as it was). */
export function walk(state: SymbolState, random: () => number): PriceData {
  const old = state.data
  const pull = -MEAN_REVERSION * Math.log(old.price / state.open24h)
  const raw = old.price * Math.exp(SIGMA[state.kind] * gaussian(random) + pull)
  const price = Math.max(round(raw, state.decimals), Math.pow(10, -state.decimals))
  const traded = state.tradeSize * (0.2 + 1.6 * random())
  const volume =
    state.kind === 'crypto' ? round(old.volume + traded, 4) : Math.round(old.volume + traded)
  return {
    ...old,
    ...quote(state, price, random),
    price,
    volume,
    high24h: Math.max(old.high24h, price),
    low24h: Math.min(old.low24h, price),
  }
}

/**
 * Picks `count` distinct indexes of `order` by reshuffling its first `count` places (a
 * permutation kept across steps), and returns them sorted.
 */
export function pickMovers(order: number[], count: number, random: () => number): number[] {
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (order.length - i))
    const picked = order[j] as number
    order[j] = order[i] as number
    order[i] = picked
  }
  return order.slice(0, count).sort((a, b) => a - b)
}
