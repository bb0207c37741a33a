/**
 * Symbol names of the Binance adapter (binance.ts): Binance names a market by its two assets
 * run together (`ETHUSDT`), so an app's `ETH-USDT` or `SOL/USDT` is written that way on the
 * wire, and events come back under the name the app used.
 */
import { NOT_ALPHANUMERIC } from './binanceValues'

/** The two-way mapping between an app's symbol names and the exchange's. */
export interface BinanceNames {
  /** The exchange's name of an app symbol, lowercase as in stream names; remembered for events. */
  toWire(symbol: string): string
  /** The app's name of the symbol an event names (`s`, in any case, separators ignored). */
  fromWire(exchangeSymbol: string): string
}

/** Names per the adapter's `symbols` option: app name -> exchange name. */
export function createBinanceNames(mapping: Readonly<Record<string, string>>): BinanceNames {
  // User name -> exchange name (uppercase), and back (lowercase key, as stream names carry it).
  const toExchange = new Map<string, string>()
  const fromExchange = new Map<string, string>()
  for (const [user, exchange] of Object.entries(mapping)) {
    toExchange.set(user, exchange.toUpperCase())
    fromExchange.set(exchange.toLowerCase(), user)
  }

  return {
    toWire(symbol) {
      const name = (toExchange.get(symbol) ?? symbol).replace(NOT_ALPHANUMERIC, '').toLowerCase()
      // Remembered so events come back under the name the app asked for, case included.
      if (!toExchange.has(symbol)) fromExchange.set(name, symbol)
      return name
    },
    fromWire(exchangeSymbol) {
      const exchangeLower = exchangeSymbol.replace(NOT_ALPHANUMERIC, '').toLowerCase()
      const known = fromExchange.get(exchangeLower)
      if (known !== undefined) return known
      return exchangeLower.toUpperCase()
    },
  }
}
