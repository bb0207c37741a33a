import { useCallback, useMemo, useSyncExternalStore } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { PriceTick, StreamState } from '../core/types'
import { selectPrice } from '../core/prices/store'
import { watchPrice } from '../core/prices/store-watch'
import { useStreamManager } from './context'
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

  // React's useSyncExternalStore over a per-symbol subscription (core/prices/store-watch.ts)
  // rather than zustand's `useStore` (issue 13 asks for `useStore` unless own code is measurably
  // faster): `useStore` subscribes every cell to every store write, so each cell reads the
  // store at each frame. Measured by test/react/priceBoard.test.tsx (10,000 cells, a frame that
  // changes 50 prices, jsdom, React's development build): 10,151 store reads per frame through
  // `useStore`, 201 through `watchPrice` (the 50 notified cells, and React re-rendering them).
  const store = manager.store
  const subscribe = useCallback(
    (onChange: () => void) => (symbol === undefined ? noop : watchPrice(store, symbol, onChange)),
    [store, symbol],
  )
  const read = useMemo(() => (symbol === undefined ? noTick : selectPrice(symbol)), [symbol])
  return useSyncExternalStore(
    subscribe,
    () => read(store.getState()),
    // Server render and hydration read the store's initial state, as zustand's `useStore` does.
    () => read((store as StoreApi<StreamState>).getInitialState()),
  )
}

function noTick(): undefined {
  return undefined
}

function noop(): void {}
