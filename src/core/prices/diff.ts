import type { StoreApi } from 'zustand/vanilla'
import type { ConnectionInfo, PriceTick, StreamState, SymbolError } from '../types'
import { writePrices } from './price-record'

/**
 * What one frame changes in the store. Plain data only (no closure, no class instance, no
 * object shared with the writer's mutable state): this is the serializable seam (docs/ARCHITECTURE.md, section 5),
 * where a Worker will sit later. `null` removes an entry.
 */
export interface StreamDiff {
  prices: Record<string, PriceTick | null>
  connections: Record<string, ConnectionInfo>
  symbolErrors: Record<string, SymbolError | null>
}

/** An empty diff with null-prototype records (keys are symbols from the wire). */
export function emptyDiff(): StreamDiff {
  return {
    prices: Object.create(null) as StreamDiff['prices'],
    connections: Object.create(null) as StreamDiff['connections'],
    symbolErrors: Object.create(null) as StreamDiff['symbolErrors'],
  }
}

/** Whether a diff changes nothing. */
export function isEmptyDiff(diff: StreamDiff): boolean {
  for (const _ in diff.prices) return false
  for (const _ in diff.connections) return false
  for (const _ in diff.symbolErrors) return false
  return true
}

/**
 * Applies a frame's diff with one `setState`. Records that the diff does not touch keep their
 * identity, and so do the entries it does not name, so selectors of unchanged symbols or
 * connections see `Object.is`-equal values and nothing re-renders for them. An empty diff
 * writes nothing. The prices are written in O(symbols in the diff) whatever the number held
 * (prices/price-record.ts); the errors and connections, small records, are copied when touched.
 */
export function applyDiff(store: StoreApi<StreamState>, diff: StreamDiff): void {
  const state = store.getState()
  const prices = writePrices(state.prices, diff.prices) as StreamState['prices']
  const symbolErrors = patch(state.symbolErrors, diff.symbolErrors)
  const connections = patch(state.connections, diff.connections)
  if (
    prices === state.prices &&
    symbolErrors === state.symbolErrors &&
    connections === state.connections
  )
    return
  store.setState({ prices, symbolErrors, connections })
}

const hasOwn = Object.prototype.hasOwnProperty

/** A copy of `base` with `changes` applied (`null` deletes), or `base` itself when none. */
function patch<T>(base: Record<string, T>, changes: Record<string, T | null>): Record<string, T> {
  let next: Record<string, T> | null = null
  for (const key in changes) {
    const value = changes[key]
    if (value === null || value === undefined) {
      if (!hasOwn.call(base, key)) continue
      next ??= { ...base }
      delete next[key]
    } else {
      if (base[key] === value) continue
      next ??= { ...base }
      // A key is data, never a prototype setter: a key `next` already holds as its own data
      // property is assigned (that never reaches the prototype, and is the cheap case, hit by
      // every tick of a symbol already shown); a new key is defined.
      if (hasOwn.call(next, key)) next[key] = value
      else
        Object.defineProperty(next, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        })
    }
  }
  return next ?? base
}
