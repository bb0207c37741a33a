import type { PriceTick } from '../../src/core/types'

/**
 * A stream tick of `symbol` at `price`, as the price book builds one, for tests and benches
 * that write the store directly; `fields` overrides any of it.
 */
export function priceTick(
  symbol: string,
  price: number,
  fields: Partial<PriceTick> = {},
): PriceTick {
  return {
    symbol,
    price,
    data: { price },
    seq: 0,
    ts: 0,
    receivedAt: 0,
    source: 'stream',
    stale: false,
    direction: null,
    connection: 'default',
    ...fields,
  }
}
