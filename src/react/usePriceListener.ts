import { useEffect, useMemo } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { selectPrice } from '../core/prices/store'
import { watchPrice } from '../core/prices/store-watch'
import type { PriceTick, StreamState } from '../core/types'
import { useStreamManager } from './context'
import { useLatest } from './useLatest'
import { useSubscription } from './useSubscription'

/**
 * A listener of {@link usePriceListener}: the symbol's new tick and the one before it, each
 * `undefined` when the symbol had (or has) none.
 */
export type PriceListener = (tick: PriceTick | undefined, previous: PriceTick | undefined) => void

/** Options of {@link usePriceListener}. */
export interface UsePriceListenerOptions {
  /** Connection that serves the symbol. @defaultValue `'default'`, or the only connection */
  connection?: string
}

/**
 * Calls `listener(tick, previous)` whenever the tick of `symbol` changes, outside render and
 * without ever re-rendering the component: for code that writes the DOM (or anything else React
 * does not own) per tick, such as a cell of a large board that should cost no React render per
 * change. `PriceFlash` is built on it.
 *
 * The component wants the symbol while it is mounted, reference counted as with `usePrice` (two
 * components on the same symbol share one subscription). The listener may be an inline function:
 * the latest one is called, and a new function every render does not resubscribe. Ticks of
 * other symbols never call it. It is not called for the tick the symbol already has when the
 * listener is attached, which happens in an effect (so never during server rendering): read
 * that one during render, and check it again after mounting if a tick may have come between
 * the render and the effect (`PriceFlash` reads it with `useSyncExternalStore`, which does).
 * Unmounting detaches it; StrictMode's simulated remount attaches it once again, never twice.
 * Pass `undefined` to want nothing.
 *
 * @example
 * ```tsx
 * function LastPrice({ symbol }: { symbol: string }) {
 *   const ref = useRef<HTMLSpanElement>(null)
 *   usePriceListener(symbol, (tick) => {
 *     if (ref.current) ref.current.textContent = tick ? tick.price.toFixed(2) : '…'
 *   })
 *   return <span ref={ref}>…</span>
 * }
 * ```
 */
export function usePriceListener(
  symbol: string | undefined,
  listener: PriceListener,
  options: UsePriceListenerOptions = {},
): void {
  const manager = useStreamManager('usePriceListener')
  const { connection } = options
  const wanted = useMemo(() => (symbol === undefined || symbol === '' ? [] : [symbol]), [symbol])
  useSubscription(manager, wanted, connection)

  const latest = useLatest(listener)
  useEffect(() => {
    if (symbol === undefined || symbol === '') return undefined
    return watchTick(manager.store, symbol, (tick, previous) => latest.current(tick, previous))
  }, [manager, symbol, latest])
}

/**
 * Calls `listener` whenever `state.prices[symbol]` changes identity; returns the undo. Built on
 * the core's per-symbol watch (prices/store-watch.ts), so a board of N cells runs only the
 * listeners of the symbols a frame changed, not N.
 */
function watchTick(
  store: StoreApi<StreamState>,
  symbol: string,
  listener: PriceListener,
): () => void {
  const select = selectPrice(symbol)
  let previous = select(store.getState())
  return watchPrice(store, symbol, () => {
    const tick = select(store.getState())
    if (tick === previous) return
    const before = previous
    previous = tick
    listener(tick, before)
  })
}
