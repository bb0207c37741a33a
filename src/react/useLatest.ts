import { useInsertionEffect, useRef } from 'react'
import type { RefObject } from 'react'

/**
 * A ref that always holds the latest `value`, for handlers passed inline: the subscription
 * that calls the handler is made once and reads the ref when it fires, so a new function
 * every render never resubscribes (the partysocket `use-handlers` pattern).
 *
 * The ref is written in an insertion effect rather than during render: a render React
 * throws away (concurrent rendering, StrictMode's second render) must not leak its handler,
 * and insertion effects run before any layout effect or event that could call the handler.
 * Unlike a layout effect it raises no warning during server rendering.
 *
 * @example
 * ```tsx
 * const latest = useLatest(onMessage)
 * useEffect(() => manager.on('message', (e) => latest.current(e)), [manager, latest])
 * ```
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value)
  useInsertionEffect(() => {
    ref.current = value
  })
  return ref
}
