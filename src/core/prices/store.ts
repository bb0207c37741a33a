import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ConnectionInfo, PriceTick, StreamState, SymbolError } from '../types'
import { emptyPriceRecord } from './price-record'

/**
 * Creates the zustand vanilla store holding {@link StreamState}. The manager is its only
 * writer; everyone else reads it through selectors.
 *
 * `prices` is a read-only view of a versioned record (prices/price-record.ts), so that a frame's
 * write costs what it changes, not what is held: reading it works as on a plain object
 * (`prices[symbol]`, `in`, `Object.keys`/`entries`, spread, `for...in`, `JSON.stringify`), and a
 * state captured earlier keeps its own values. Assigning to it, deleting from it or freezing it
 * throws a `TypeError`, and `structuredClone(state.prices)` throws (a Proxy cannot be cloned):
 * clone a copy (`{ ...state.prices }`) instead.
 *
 * @param connections - initial info per connection (the manager passes every configured
 *   connection as `idle`, so `connections` is complete from the first render).
 */
export function createStreamStore(
  connections: Record<string, ConnectionInfo> = {},
): StoreApi<StreamState> {
  return createStore<StreamState>()(() => ({
    prices: emptyPriceRecord(),
    symbolErrors: {},
    connections: { ...connections },
  }))
}

/**
 * Selector of one symbol's tick, for `store.getState()` or a zustand hook.
 * @example useStore(manager.store, selectPrice('BTC-USD'))
 */
export function selectPrice(symbol: string): (state: StreamState) => PriceTick | undefined {
  return (state) =>
    Object.prototype.hasOwnProperty.call(state.prices, symbol) ? state.prices[symbol] : undefined
}

/** Selector of one symbol's standing error (such as `unknown_symbol`), if any. */
export function selectSymbolError(symbol: string): (state: StreamState) => SymbolError | undefined {
  return (state) =>
    Object.prototype.hasOwnProperty.call(state.symbolErrors, symbol)
      ? state.symbolErrors[symbol]
      : undefined
}

/** Selector of one connection's info, if such a connection exists. */
export function selectConnection(name: string): (state: StreamState) => ConnectionInfo | undefined {
  return (state) =>
    Object.prototype.hasOwnProperty.call(state.connections, name)
      ? state.connections[name]
      : undefined
}
