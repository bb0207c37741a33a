import type { StreamDiff, StreamState } from '../index'
import { changedPrices } from '../prices/price-record'

/**
 * The diff that turns `prev` into `next`, from the worker-side store's one write per frame.
 * Entries whose identity did not change are left out (the store keeps untouched entries'
 * identity), removed ones are `null`. The prices cost O(symbols changed) for a store
 * listener's pair (`changedPrices`, prices/price-record.ts); errors and connections, small
 * records, are compared whole when their record changed.
 */
export function diffStates(prev: StreamState, next: StreamState): StreamDiff {
  return {
    prices: priceChanges(prev.prices, next.prices),
    // Connections are never removed: the configured set is fixed for a manager's life.
    connections: changes(prev.connections, next.connections, false) as StreamDiff['connections'],
    symbolErrors: changes(prev.symbolErrors, next.symbolErrors),
  }
}

/** Everything in `state`, as a diff from an empty store (what a newly attached tab gets). */
export function fullDiff(state: StreamState): StreamDiff {
  const empty: StreamState = { prices: {}, connections: {}, symbolErrors: {} }
  return diffStates(empty, state)
}

const hasOwn = Object.prototype.hasOwnProperty

function priceChanges(
  prev: StreamState['prices'],
  next: StreamState['prices'],
): StreamDiff['prices'] {
  const out = Object.create(null) as StreamDiff['prices']
  for (const symbol of changedPrices(prev, next))
    out[symbol] = hasOwn.call(next, symbol) ? (next[symbol] ?? null) : null
  return out
}

function changes<T>(
  prev: Record<string, T>,
  next: Record<string, T>,
  removable = true,
): Record<string, T | null> {
  const out = Object.create(null) as Record<string, T | null>
  if (prev === next) return out
  for (const key in next) {
    const value = next[key] as T
    if (!hasOwn.call(prev, key) || prev[key] !== value) out[key] = value
  }
  if (removable) for (const key in prev) if (!hasOwn.call(next, key)) out[key] = null
  return out
}
