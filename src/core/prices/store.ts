import { createStore, type StoreApi } from 'zustand/vanilla'
import type { StreamDiff } from './frame-scheduler'
import type {
  ConnectionInfo,
  ConnectionStatus,
  PriceTick,
  StreamState,
  SymbolError,
} from '../types'

/**
 * Creates the zustand vanilla store holding {@link StreamState}. The manager is its only
 * writer; everyone else reads it through selectors.
 *
 * @param connections - initial info per connection (the manager passes every configured
 *   connection as `idle`, so `connections` is complete from the first render).
 */
export function createStreamStore(
  connections: Record<string, ConnectionInfo> = {},
): StoreApi<StreamState> {
  return createStore<StreamState>()(() => ({
    prices: {},
    symbolErrors: {},
    connections: { ...connections },
  }))
}

/**
 * Applies a frame's diff with one `setState`. Records that the diff does not touch keep their
 * identity, and so do the entries it does not name, so selectors of unchanged symbols or
 * connections see `Object.is`-equal values and nothing re-renders for them. An empty diff
 * writes nothing.
 */
export function applyDiff(store: StoreApi<StreamState>, diff: StreamDiff): void {
  const state = store.getState()
  const prices = patch(state.prices, diff.prices)
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

/**
 * Selector of one symbol's tick, for `store.getState()` or a zustand hook.
 * @example useStore(manager.store, selectPrice('BTC-USD'))
 */
export function selectPrice(symbol: string): (state: StreamState) => PriceTick | undefined {
  return (state) =>
    Object.prototype.hasOwnProperty.call(state.prices, symbol) ? state.prices[symbol] : undefined
}

/** Selector of one symbol's standing error (such as `unknown_symbol`), if any. */
export function selectSymbolError(symbol: string): (state: StreamState) => SymbolError | undefined {
  return (state) =>
    Object.prototype.hasOwnProperty.call(state.symbolErrors, symbol)
      ? state.symbolErrors[symbol]
      : undefined
}

/** Selector of one connection's info, if such a connection exists. */
export function selectConnection(name: string): (state: StreamState) => ConnectionInfo | undefined {
  return (state) =>
    Object.prototype.hasOwnProperty.call(state.connections, name)
      ? state.connections[name]
      : undefined
}

/**
 * How bad each status is, for {@link worstStatus}: a user should see the worst connection.
 * `error` (gave up) beats `offline` (cannot try), which beats `closed` (chose not to),
 * `reconnecting` (no data now), `fallback` (data, delayed), `connecting` (none yet, normal)
 * and `open`. `idle` ranks below `open`: an idle connection is one nobody needs yet (`lazy`
 * with no subscription), so an app whose price feed is open and whose lazy order feed is idle
 * is live, not "connecting".
 */
export const STATUS_SEVERITY: Readonly<Record<ConnectionStatus, number>> = {
  idle: 0,
  open: 1,
  connecting: 2,
  fallback: 3,
  reconnecting: 4,
  closed: 5,
  offline: 6,
  error: 7,
}

/**
 * The worst status across connections: error > offline > closed > reconnecting > fallback >
 * connecting > open > idle (see {@link STATUS_SEVERITY} for why `idle` is last); `idle` when
 * there are none. Used for the app-wide status pill.
 */
export function worstStatus(connections: Record<string, ConnectionInfo>): ConnectionStatus {
  let worst: ConnectionStatus | null = null
  for (const name in connections) {
    const info = connections[name]
    if (info && (worst === null || STATUS_SEVERITY[info.status] > STATUS_SEVERITY[worst]))
      worst = info.status
  }
  return worst ?? 'idle'
}
