import type { StoreApi } from 'zustand/vanilla'
import type { StreamState } from '../types'
import { changedPrices } from './price-record'

/** The listeners of one store, by symbol, behind a single store subscription. */
interface Registry {
  bySymbol: Map<string, Set<() => void>>
  /** The store subscription, held while any symbol has a listener. */
  unsubscribe: (() => void) | null
}

/** One registry per store; a store that goes away takes its registry with it. */
const registries = new WeakMap<StoreApi<StreamState>, Registry>()

function registryOf(store: StoreApi<StreamState>): Registry {
  let registry = registries.get(store)
  if (!registry) {
    registry = { bySymbol: new Map(), unsubscribe: null }
    registries.set(store, registry)
  }
  return registry
}

/** Calls the listeners of the symbols a write changed: O(symbols changed), not O(watchers). */
function dispatch(registry: Registry, next: StreamState, prev: StreamState): void {
  if (next.prices === prev.prices) return
  for (const symbol of changedPrices(prev.prices, next.prices)) {
    const listeners = registry.bySymbol.get(symbol)
    if (listeners) for (const listener of listeners) listener()
  }
}

/**
 * Calls `listener` after each store write that changes `symbol`'s tick (a new tick, or its
 * removal), and never for writes that leave it alone. Returns the undo.
 *
 * Every watcher of a store shares one store subscription, which looks up the symbols the write
 * changed (`changedPrices`, prices/price-record.ts) and calls only their listeners: a write that
 * changes 50 of 10,000 watched symbols calls 50 listeners, where `store.subscribe` would call
 * all 10,000. The hooks `usePrice` and `usePriceStream` are built on it.
 *
 * @param store - A stream store (`manager.store`).
 * @param symbol - The symbol to watch.
 * @param listener - Called with no argument; read the store (`store.getState().prices[symbol]`).
 * @returns A function that removes this listener; calling it again does nothing.
 *
 * @example
 * ```ts
 * const stop = watchPrice(manager.store, 'BTC-USD', () => {
 *   console.log(manager.store.getState().prices['BTC-USD']?.price)
 * })
 * ```
 */
export function watchPrice(
  store: StoreApi<StreamState>,
  symbol: string,
  listener: () => void,
): () => void {
  const registry = registryOf(store)
  let listeners = registry.bySymbol.get(symbol)
  if (!listeners) registry.bySymbol.set(symbol, (listeners = new Set()))
  // Wrapped: the same function watched twice is two listeners, each removed by its own undo.
  const own = (): void => listener()
  listeners.add(own)
  registry.unsubscribe ??= store.subscribe((next, prev) => dispatch(registry, next, prev))
  return () => {
    const set = registry.bySymbol.get(symbol)
    if (!set?.delete(own)) return
    if (set.size === 0) registry.bySymbol.delete(symbol)
    if (registry.bySymbol.size === 0) {
      registry.unsubscribe?.()
      registry.unsubscribe = null
    }
  }
}
