import { useMemo } from 'react'

/**
 * The wanted set as a content key: symbols de-duplicated and sorted, then JSON-encoded (JSON
 * keeps symbols that contain any separator character apart). Two arrays with the same symbols
 * in any order, with or without duplicates, give the same key.
 */
export function symbolsKey(symbols: readonly string[]): string {
  return JSON.stringify(Array.from(new Set(symbols)).sort())
}

/**
 * A stable, normalized copy of `symbols` whose identity changes only when its content does.
 *
 * This is what makes a new array literal on every render harmless: effects depend on the
 * returned array, which stays the same object until a symbol is added or removed, so no
 * effect re-runs and no subscribe frame goes out.
 *
 * @example
 * ```tsx
 * const wanted = useSymbolsKey(['ETH-USD', 'BTC-USD', 'BTC-USD'])
 * // wanted is ['BTC-USD', 'ETH-USD'], the same array on every render
 * useEffect(() => manager.subscribe(wanted), [manager, wanted])
 * ```
 */
export function useSymbolsKey(symbols: readonly string[]): readonly string[] {
  const key = symbolsKey(symbols)
  // Parsing the key (not closing over `symbols`) makes the memo depend on content only.
  return useMemo(() => JSON.parse(key) as string[], [key])
}
