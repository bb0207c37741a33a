/**
 * The default symbols of the simulated market, with plausible starting prices.
 *
 * Prices are rough late-2024 levels: they only have to look right on a board, not be true.
 * Crypto pairs end in `-USD`; stocks are bare tickers. The list holds more than 100 entries
 * because the Storybook board shows 100 at once.
 */

/** What kind of instrument a symbol is: it decides volatility, spread and volume scale. */
export type AssetKind = 'crypto' | 'stock'

/** One symbol of the catalogue. */
export interface CatalogueEntry {
  symbol: string
  kind: AssetKind
  /** Starting price in USD. */
  price: number
}

// Kept as compact tuples: one line per few symbols reads better than one object per line.
const CRYPTO: ReadonlyArray<readonly [string, number]> = [
  ['BTC-USD', 97000],
  ['ETH-USD', 3400],
  ['SOL-USD', 240],
  ['BNB-USD', 640],
  ['XRP-USD', 1.45],
  ['ADA-USD', 0.98],
  ['DOGE-USD', 0.39],
  ['AVAX-USD', 42],
  ['DOT-USD', 8.9],
  ['LINK-USD', 17.8],
  ['MATIC-USD', 0.55],
  ['LTC-USD', 98],
  ['BCH-USD', 480],
  ['TRX-USD', 0.21],
  ['SHIB-USD', 0.0000245],
  ['UNI-USD', 11.2],
  ['ATOM-USD', 7.9],
  ['XLM-USD', 0.48],
  ['ETC-USD', 31],
  ['FIL-USD', 6.1],
  ['APT-USD', 12.4],
  ['ARB-USD', 0.92],
  ['OP-USD', 2.1],
  ['NEAR-USD', 6.4],
  ['ICP-USD', 11.8],
  ['AAVE-USD', 215],
  ['ALGO-USD', 0.44],
  ['XTZ-USD', 1.3],
  ['SUI-USD', 3.6],
  ['PEPE-USD', 0.0000212],
]

const STOCKS: ReadonlyArray<readonly [string, number]> = [
  ['AAPL', 229],
  ['MSFT', 417],
  ['GOOGL', 169],
  ['AMZN', 198],
  ['NVDA', 146],
  ['META', 559],
  ['TSLA', 339],
  ['BRK.B', 472],
  ['JPM', 243],
  ['V', 308],
  ['UNH', 596],
  ['XOM', 121],
  ['JNJ', 155],
  ['WMT', 88],
  ['MA', 521],
  ['PG', 170],
  ['HD', 412],
  ['CVX', 160],
  ['ABBV', 171],
  ['KO', 63],
  ['PEP', 158],
  ['AVGO', 163],
  ['COST', 915],
  ['MRK', 99],
  ['ORCL', 187],
  ['BAC', 46],
  ['ADBE', 514],
  ['CRM', 330],
  ['NFLX', 887],
  ['AMD', 138],
  ['INTC', 24.5],
  ['CSCO', 58],
  ['TMO', 520],
  ['ABT', 117],
  ['DIS', 114],
  ['MCD', 292],
  ['NKE', 77],
  ['QCOM', 156],
  ['TXN', 198],
  ['IBM', 222],
  ['GS', 592],
  ['MS', 131],
  ['CAT', 397],
  ['BA', 152],
  ['GE', 178],
  ['HON', 224],
  ['UPS', 133],
  ['LMT', 530],
  ['SBUX', 99],
  ['PYPL', 86],
  ['UBER', 70],
  ['SHOP', 113],
  ['SQ', 89],
  ['PLTR', 61],
  ['SNOW', 167],
  ['ABNB', 137],
  ['COIN', 296],
  ['SPOT', 470],
  ['ZM', 82],
  ['F', 11.1],
  ['GM', 57],
  ['T', 23],
  ['VZ', 43],
  ['PFE', 25.6],
  ['CMCSA', 43],
  ['INTU', 690],
  ['AMAT', 174],
  ['MU', 101],
  ['NOW', 1040],
  ['LLY', 760],
  ['C', 69],
  ['WFC', 74],
  ['SPY', 597],
  ['QQQ', 505],
  ['IWM', 237],
  ['DIA', 440],
]

/** Every symbol the market knows without being told, crypto first. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  ...CRYPTO.map(([symbol, price]) => ({ symbol, price, kind: 'crypto' as const })),
  ...STOCKS.map(([symbol, price]) => ({ symbol, price, kind: 'stock' as const })),
]

const BY_SYMBOL = new Map(CATALOGUE.map((entry) => [entry.symbol, entry]))

/** The names of the default symbol list (every catalogue entry, {@link CATALOGUE} order). */
export const DEFAULT_SYMBOLS: readonly string[] = CATALOGUE.map((entry) => entry.symbol)

/**
 * FNV-1a hash of a string: a stable number per name, so a symbol outside the catalogue
 * gets the same starting price in every run and on every machine.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * The catalogue entry for a name, or a made-up one for a name the catalogue lacks:
 * `-USD` names are crypto, the rest stocks, with a price between 5 and 500 derived from
 * the name alone (not from the market seed, so a name always starts at the same level).
 */
export function describeSymbol(symbol: string): CatalogueEntry {
  const known = BY_SYMBOL.get(symbol)
  if (known) return known
  const unit = hashString(symbol) / 0x1_0000_0000
  // Log-uniform between 5 and 500: small caps and large caps alike.
  const price = Number((5 * Math.pow(100, unit)).toFixed(2))
  return { symbol, price, kind: symbol.endsWith('-USD') ? 'crypto' : 'stock' }
}

/**
 * `count` distinct plausible symbol names: the catalogue first, then made-up four-letter
 * tickers (`QBRX`, ...) derived from their index, so the same count always gives the same list.
 * Handy for boards and load tests that want more symbols than the catalogue holds.
 */
export function generateSymbols(count: number): string[] {
  const names = DEFAULT_SYMBOLS.slice(0, count)
  const taken = new Set(names)
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  for (let i = 0; names.length < count; i++) {
    let n = hashString(`tickwire-${i}`)
    let name = ''
    for (let k = 0; k < 4; k++) {
      name += letters[n % 26]
      n = Math.floor(n / 26)
    }
    if (!taken.has(name)) {
      taken.add(name)
      names.push(name)
    }
  }
  return names
}
