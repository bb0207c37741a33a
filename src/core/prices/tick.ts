import type { SymbolState } from './merge'
import type { PriceDirection, PriceSource, PriceTick } from '../types'

/** The price fields lifted from `data` onto a {@link PriceTick}. `price` is handled apart. */
const OPTIONAL_PRICE_FIELDS = ['bid', 'ask', 'volume', 'change24h', 'high24h', 'low24h'] as const

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value)

/** Direction of `price` against the previously shown price; null for a first or unchanged one. */
export function directionOf(previous: number | undefined, price: number): PriceDirection {
  if (previous === undefined || previous === price) return null
  return price > previous ? 'up' : 'down'
}

/**
 * Builds the {@link PriceTick} shown for a symbol state: price fields lifted from `data`,
 * `direction` against the previously shown tick, and the state's null-prototype `data`, which
 * is marked shared so the next delta copies it before writing (a tick never changes).
 */
export function buildTick(
  state: SymbolState,
  connection: string,
  source: PriceSource = state.source,
): PriceTick {
  const price = state.data.price as number
  state.shared = true
  const tick: PriceTick = {
    symbol: state.symbol,
    price,
    data: state.data,
    seq: state.seq,
    ts: state.ts,
    receivedAt: state.receivedAt,
    source,
    stale: state.stale,
    direction: directionOf(state.shownPrice, price),
    connection,
  }
  state.shownPrice = price
  for (const field of OPTIONAL_PRICE_FIELDS) {
    const value = state.data[field]
    if (isFiniteNumber(value)) tick[field] = value
  }
  return tick
}
