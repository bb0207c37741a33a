import { useStore } from 'zustand'
import { useShallow } from 'zustand/shallow'
import type { StreamState } from '../core/types'
import { useStreamManager } from './context'

/**
 * Reads the nearest provider's store through a selector, with zustand's own React binding
 * (`useStore`, built on React's `useSyncExternalStore`) and `useShallow`: the component
 * re-renders only when the selected value changes, compared shallowly (a record or array with
 * the same entries keeps its previous identity). The store changes at most once per animation
 * frame. During server rendering and hydration the selector reads the store's initial state.
 *
 * Keep the selector cheap (it runs at every store write) and pure; derive anything costly from
 * its result with `useMemo`.
 *
 * @example
 * ```tsx
 * const selectOpen = (state: StreamState) =>
 *   Object.keys(state.connections).filter((name) => state.connections[name]?.status === 'open')
 * function OpenFeeds() {
 *   const open = useStreamSelector(selectOpen)
 *   return <span>{open.join(', ')}</span>
 * }
 * ```
 */
export function useStreamSelector<T>(selector: (state: StreamState) => T): T {
  const manager = useStreamManager('useStreamSelector')
  return useStore(manager.store, useShallow(selector))
}
