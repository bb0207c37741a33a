import { useMemo } from 'react'
import { useStore } from 'zustand'
import { useShallow } from 'zustand/shallow'
import type { ConnectionStatus, PriceTick, StreamState, SymbolError } from '../core/types'
import { selectConnection, selectPrice, selectSymbolError } from '../core/prices/store'
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

  const selectors = useMemo(() => {
    const selectInfo = connectionName === undefined ? undefined : selectConnection(connectionName)
    // The core's selectors read own properties only: a symbol named "toString" or
    // "constructor" must not find Object.prototype's member as its tick or error.
    const readers = wanted.map((symbol) => ({
      symbol,
      tick: selectPrice(symbol),
      error: selectSymbolError(symbol),
    }))
    return {
      // Object.fromEntries defines own properties, so no symbol name can reach a prototype.
      prices: (state: StreamState): Record<string, PriceTick | undefined> =>
        Object.fromEntries(readers.map((reader) => [reader.symbol, reader.tick(state)])),
      errors: (state: StreamState): Record<string, SymbolError> =>
        Object.fromEntries(
          readers.flatMap((reader) => {
            const error = reader.error(state)
            return error === undefined ? [] : [[reader.symbol, error]]
          }),
        ),
      status: (state: StreamState): ConnectionStatus =>
        selectInfo === undefined
          ? worstStatus(state.connections)
          : (selectInfo(state)?.status ?? 'idle'),
    }
  }, [wanted, connectionName])
  // Each part compared shallowly (useShallow): a write that changes none of these symbols,
  // their errors or the status keeps every identity and renders nothing.
  const prices = useStore(manager.store, useShallow(selectors.prices))
  const errors = useStore(manager.store, useShallow(selectors.errors))
  const status = useStore(manager.store, selectors.status)
  return useMemo(() => {
    const stale = Object.values(prices).some((tick) => tick?.stale === true)
    return { prices, errors, status, stale }
  }, [prices, errors, status])
}
