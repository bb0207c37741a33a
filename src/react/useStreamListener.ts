import { useEffect } from 'react'
import type { StreamState } from '../core/types'
import { useStreamManager } from './context'
import { useLatest } from './useLatest'

/**
 * Calls `listener(next, previous)` whenever the value `selector` picks from the nearest
 * provider's store changes (by `Object.is`), outside render and without re-rendering the
 * component: for effects that touch the DOM or something else React does not own (a pulse
 * animation, a sound, a log). Both functions may be inline: the latest ones are kept in refs
 * and the store is subscribed once, and unsubscribed on unmount.
 *
 * @example
 * ```tsx
 * function Beeper() {
 *   useStreamListener(
 *     (state) => state.prices['BTC-USD']?.price,
 *     (price, before) => { if (price !== undefined && before !== undefined && price > before) beep() },
 *   )
 *   return null
 * }
 * ```
 */
export function useStreamListener<T>(
  selector: (state: StreamState) => T,
  listener: (next: T, previous: T) => void,
): void {
  const manager = useStreamManager('useStreamListener')
  const latestSelector = useLatest(selector)
  const latestListener = useLatest(listener)
  useEffect(() => {
    let previous = latestSelector.current(manager.store.getState())
    return manager.store.subscribe((state) => {
      const next = latestSelector.current(state)
      if (Object.is(next, previous)) return
      const before = previous
      previous = next
      latestListener.current(next, before)
    })
  }, [manager, latestSelector, latestListener])
}
