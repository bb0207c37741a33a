import { useMemo, useRef, useSyncExternalStore } from 'react'
import type { StoreApi } from 'zustand/vanilla'

/**
 * Given the previous result and a freshly selected one, returns what the hook should give:
 * `previous` itself when nothing shown changed, otherwise a value that reuses the unchanged
 * parts of `previous` (TanStack Query's structural sharing, kept shallow).
 */
export type ShareFn<T> = (previous: T, next: T) => T

/** The default: keep the previous result when it is the same value by `Object.is`. */
export function shareIdentical<T>(previous: T, next: T): T {
  return Object.is(previous, next) ? previous : next
}

interface SelectionBox<S, T> {
  has: boolean
  state: S | undefined
  selector: ((state: S) => T) | undefined
  value: T | undefined
}

/**
 * Reads a zustand vanilla store through React's `useSyncExternalStore` with a selector and
 * structural sharing, like zustand's `useStoreWithEqualityFn`. We do not import
 * `zustand/traditional` because it needs the `use-sync-external-store` shim as an extra
 * dependency, and React 18+ has the hook built in.
 *
 * The previous result lives in a ref, not in the memo of `getSnapshot`, so a selector that
 * is re-created for new content still returns the old object when the result is the same: a
 * result keeps its identity whenever nothing it shows changed.
 *
 * The selector does not re-run while the store state keeps its identity, so a render caused
 * by something else (a parent re-rendering with a new array literal) costs one `Object.is`.
 * Memoize the selector (and `share`): a new function every render is run again every render.
 *
 * @example
 * ```tsx
 * const selectBtc = (state: StreamState) => state.prices['BTC-USD']?.price
 * function BtcPrice() {
 *   const manager = useStreamManager()
 *   const price = useStoreSelector(manager.store, selectBtc)
 *   return <span>{price ?? '…'}</span>
 * }
 * ```
 */
export function useStoreSelector<S, T>(
  store: StoreApi<S>,
  selector: (state: S) => T,
  share: ShareFn<T> = shareIdentical,
): T {
  const box = useRef<SelectionBox<S, T>>({
    has: false,
    state: undefined,
    selector: undefined,
    value: undefined,
  })

  const getSnapshot = useMemo(
    () => (): T => {
      const last = box.current
      const state = store.getState()
      // Same state and same selector: the answer cannot have changed.
      if (last.has && last.selector === selector && Object.is(state, last.state))
        return last.value as T
      const selected = selector(state)
      const value = last.has ? share(last.value as T, selected) : selected
      box.current = { has: true, state, selector, value }
      return value
    },
    [store, selector, share],
  )

  // On the server and during hydration React asks for the server snapshot: the selection over
  // the store's initial state, as zustand's own hook does. The server rendered that state,
  // so the client hydrates the same markup even when its manager already holds data (one
  // created and started before hydration), then re-renders with the live state.
  const getServerSnapshot = useMemo(() => {
    let cached: { value: T } | undefined
    return (): T => (cached ??= { value: selector(store.getInitialState()) }).value
  }, [store, selector])

  return useSyncExternalStore(store.subscribe, getSnapshot, getServerSnapshot)
}

/** Shallow equality of two plain records: same own keys, values equal by `Object.is`. */
export function shallowEqualRecord(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): boolean {
  if (a === b) return true
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  for (const key of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, key) || !Object.is(a[key], b[key])) return false
  }
  return true
}
