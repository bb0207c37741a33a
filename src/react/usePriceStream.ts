import { useCallback, useMemo, useSyncExternalStore } from 'react'
import { shallow } from 'zustand/shallow'
import type { ConnectionStatus, PriceTick, StreamState, SymbolError } from '../core/types'
import { watchPrice } from '../core/prices/store-watch'
import { worstStatus } from '../core/status'
import { resolveConnectionName } from './connectionName'
import { useStreamManager } from './context'
import { useSubscription } from './useSubscription'
import { useSymbolsKey } from './useSymbolsKey'

/** Options of {@link usePriceStream}. */
export interface UsePriceStreamOptions {
  /** Connection that serves the symbols. @defaultValue `'default'`, or the only connection */
  connection?: string
}

/** What {@link usePriceStream} returns. */
export interface PriceStreamResult {
  /**
   * The latest tick per requested symbol (`undefined` until its first tick). One key per
   * distinct symbol, in sorted order: the order you pass does not matter, so map over your
   * own list when order matters.
   */
  prices: Record<string, PriceTick | undefined>
  /** Status of the connection serving these symbols. */
  status: ConnectionStatus
  /** True when any requested symbol is stale. */
  stale: boolean
  /** Standing errors of requested symbols only, such as `unknown_symbol`. */
  errors: Record<string, SymbolError>
}

/**
 * Live prices of several symbols, with the status of their connection, whether any is stale,
 * and the errors the server reported for them.
 *
 * The wanted set is keyed by content: passing a new array literal every render, a reordered
 * array or duplicated symbols sends no frame and re-runs no effect. The component re-renders
 * only when one of its symbols, their errors or the connection status changes, at most once
 * per animation frame however fast messages arrive.
 *
 * @example
 * ```tsx
 * function Watchlist() {
 *   const { prices, status, stale, errors } = usePriceStream(['BTC-USD', 'ETH-USD'])
 *   return (
 *     <ul data-status={status} data-stale={stale}>
 *       {Object.entries(prices).map(([symbol, tick]) => (
 *         <li key={symbol}>
 *           {symbol}: {errors[symbol]?.message ?? tick?.price ?? '…'}
 *         </li>
 *       ))}
 *     </ul>
 *   )
 * }
 * ```
 */
export function usePriceStream(
  symbols: readonly string[],
  options: UsePriceStreamOptions = {},
): PriceStreamResult {
  const manager = useStreamManager('usePriceStream')
  const wanted = useSymbolsKey(symbols)
  const { connection } = options
  const connectionName = resolveConnectionName(manager, connection)

  useSubscription(manager, wanted, connection)

  // Per-symbol notification (core/prices/store-watch.ts), like usePrice: a write that changes
  // none of these symbols, their errors or the status runs nothing of this hook but a check
  // of the records it touched (connections change with traffic counters, 4 times a second).
  const store = manager.store
  const subscribe = useCallback(
    (onChange: () => void) => {
      const undo = wanted.map((symbol) => watchPrice(store, symbol, onChange))
      undo.push(
        store.subscribe((next, prev) => {
          const status =
            next.connections !== prev.connections &&
            statusIn(next, connectionName) !== statusIn(prev, connectionName)
          const errors =
            next.symbolErrors !== prev.symbolErrors &&
            wanted.some((symbol) => errorIn(next, symbol) !== errorIn(prev, symbol))
          if (status || errors) onChange()
        }),
      )
      return () => undo.forEach((each) => each())
    },
    [store, wanted, connectionName],
  )
  const read = useMemo(() => streamReader(wanted, connectionName), [wanted, connectionName])
  const readInitial = useMemo(() => streamReader(wanted, connectionName), [wanted, connectionName])
  return useSyncExternalStore(
    subscribe,
    () => read(store.getState()),
    // Server render and hydration read the store's initial state, as zustand's `useStore` does.
    () => readInitial(store.getInitialState()),
  )
}

const hasOwn = Object.prototype.hasOwnProperty

/** The status the hook shows: its connection's, or the worst of all when none is named. */
function statusIn(state: StreamState, connectionName: string | undefined): ConnectionStatus {
  if (connectionName === undefined) return worstStatus(state.connections)
  return hasOwn.call(state.connections, connectionName)
    ? (state.connections[connectionName]?.status ?? 'idle')
    : 'idle'
}

/** A symbol's own standing error: a symbol named "constructor" finds no prototype member. */
function errorIn(state: StreamState, symbol: string): SymbolError | undefined {
  return hasOwn.call(state.symbolErrors, symbol) ? state.symbolErrors[symbol] : undefined
}

/**
 * Reads the hook's result from a state. Each part keeps its identity while its entries are the
 * same (compared shallowly), and so does the result, so a write that changes none of them
 * renders nothing; the same state read twice (render, then React's check) is computed once.
 */
function streamReader(
  wanted: readonly string[],
  connectionName: string | undefined,
): (state: StreamState) => PriceStreamResult {
  let lastState: StreamState | undefined
  let last: PriceStreamResult | undefined
  return (state) => {
    if (state === lastState && last) return last
    // Own properties only: a symbol named "toString" must not find Object.prototype's member.
    // Object.fromEntries defines own properties, so no symbol name can reach a prototype.
    let prices: Record<string, PriceTick | undefined> = Object.fromEntries(
      wanted.map((symbol) => [
        symbol,
        hasOwn.call(state.prices, symbol) ? state.prices[symbol] : undefined,
      ]),
    )
    let errors: Record<string, SymbolError> = Object.fromEntries(
      wanted.flatMap((symbol) => {
        const error = errorIn(state, symbol)
        return error === undefined ? [] : [[symbol, error]]
      }),
    )
    const status = statusIn(state, connectionName)
    if (last && shallow(last.prices, prices)) prices = last.prices
    if (last && shallow(last.errors, errors)) errors = last.errors
    lastState = state
    if (last && last.prices === prices && last.errors === errors && last.status === status)
      return last
    const stale = Object.values(prices).some((tick) => tick?.stale === true)
    return (last = { prices, errors, status, stale })
  }
}
