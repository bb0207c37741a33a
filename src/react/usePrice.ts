import { useMemo } from 'react'
import type { PriceTick } from '../core/types'
import { selectPrice } from '../core/prices/store'
import { useStreamManager } from './context'
import { useStore } from 'zustand'
import { useSubscription } from './useSubscription'

/** Options of {@link usePrice}. */
export interface UsePriceOptions {
  /** Connection that serves the symbol. @defaultValue `'default'`, or the only connection */
  connection?: string
}

/**
 * The latest tick of one symbol, `undefined` until the first one arrives.
 *
 * The component wants the symbol while it is mounted (reference counted: two components on
 * the same symbol share one subscription) and re-renders only when this symbol's tick
 * changes, never for other symbols. Pass `undefined` to want nothing.
 *
 * @example
 * ```tsx
 * function BtcPrice() {
 *   const tick = usePrice('BTC-USD')
 *   if (!tick) return <span>…</span>
 *   return <span data-stale={tick.stale}>{tick.price.toFixed(2)}</span>
 * }
 * ```
 */
export function usePrice(
  symbol: string | undefined,
  options: UsePriceOptions = {},
): PriceTick | undefined {
  const manager = useStreamManager('usePrice')
  const { connection } = options

  // Keyed on the string, never on the options object; a memo makes the one-symbol array stable.
  const wanted = useMemo(() => (symbol === undefined || symbol === '' ? [] : [symbol]), [symbol])
  useSubscription(manager, wanted, connection)

  const selector = useMemo(() => (symbol === undefined ? noTick : selectPrice(symbol)), [symbol])
  return useStore(manager.store, selector)
}

function noTick(): undefined {
  return undefined
}
