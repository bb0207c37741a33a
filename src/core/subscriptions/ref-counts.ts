import type { WantedCount } from '../stream-manager'
import type { TimerProvider } from '../timers'
import {
  addRefs,
  emptyRefs,
  removeRefs,
  wantedCounts,
  type ConnectionRefs,
} from './connection-refs'

/**
 * What changed in one connection's wanted set after an acquire, a release or a delayed
 * release taking effect. Plain data, so it can cross the serializable seam.
 */
export interface WantedChange {
  /** The connection whose wanted set changed. */
  connection: string
  /**
   * Symbols whose reference count went from 0 to 1 (including a want that came back within
   * `unsubscribeDelayMs`). The manager clears a standing `unknown_symbol` error on these:
   * every subscriber had released the symbol, so this is a new want.
   */
  acquired: string[]
  /** Symbols that entered the wanted set (a subscribe frame is due). */
  added: string[]
  /** Symbols that left the wanted set (an unsubscribe frame is due). */
  removed: string[]
}

/** Options of {@link createSubscriptions}. */
export interface SubscriptionsOptions {
  /** Timers for the delayed releases. */
  timers: TimerProvider
  /**
   * How long the last release of a symbol waits before the symbol leaves the wanted set, so a
   * component that unmounts and mounts again sends nothing. 0 releases at once.
   * @defaultValue 1000 (DEFAULTS.unsubscribeDelayMs, given by the manager)
   */
  unsubscribeDelayMs: number
  /** Called whenever a wanted set changed; never called with three empty lists. */
  onChange(change: WantedChange): void
  /**
   * Called when the held set shrank while the wanted set did not: a last release whose
   * unsubscribe waits for the delay. A socket opened meanwhile must not subscribe the symbol.
   */
  onHeldChange?(connection: string): void
}

/**
 * Reference counts per connection and the wanted sets they imply. Pure bookkeeping: it
 * sends nothing itself; `onChange` tells the manager what to hand to its connection.
 */
export interface Subscriptions {
  /** Adds one reference per distinct symbol. `imperative` marks `subscribePrices` references. */
  acquire(connection: string, symbols: readonly string[], imperative?: boolean): void
  /**
   * Removes one reference per distinct symbol. With `imperative`, only references that an
   * imperative acquire added are removed (others stay). Releasing a symbol with no reference
   * does nothing, so a release is safe to repeat.
   */
  release(connection: string, symbols: readonly string[], imperative?: boolean): void
  /** The wanted set: symbols with a reference, plus those whose last release is still waiting. */
  wanted(connection: string): string[]
  /**
   * The held set: symbols with a reference now, without those whose last release is still
   * waiting. A new socket carries only these.
   */
  held(connection: string): string[]
  /** Whether the symbol is in the connection's wanted set. */
  isWanted(connection: string, symbol: string): boolean
  /** Reference count of a symbol (0 while its last release waits). */
  refCount(connection: string, symbol: string): number
  /** The connection's wanted set with its counts (a copy, for devtools). */
  snapshot(connection: string): Record<string, WantedCount>
  /** Cancels every waiting release; the instance is inert afterwards. */
  destroy(): void
}

/**
 * Creates the reference counting of the wanted sets.
 *
 * A symbol is wanted while its count is above 0, and for `unsubscribeDelayMs` after the count
 * drops to 0: a want that returns in that time cancels the release and nothing is sent.
 */
export function createSubscriptions(options: SubscriptionsOptions): Subscriptions {
  const { timers, unsubscribeDelayMs, onChange } = options
  const byConnection = new Map<string, ConnectionRefs>()
  let destroyed = false

  function refsOf(connection: string): ConnectionRefs {
    let entry = byConnection.get(connection)
    if (!entry) {
      entry = emptyRefs()
      byConnection.set(connection, entry)
    }
    return entry
  }

  function emit(connection: string, acquired: string[], added: string[], removed: string[]): void {
    if (acquired.length || added.length || removed.length)
      onChange({ connection, acquired, added, removed })
  }

  function finishRelease(connection: string, symbol: string): void {
    const entry = byConnection.get(connection)
    if (destroyed || !entry || !entry.pending.delete(symbol)) return
    emit(connection, [], [], [symbol])
  }

  return {
    acquire(connection, symbols, imperative = false) {
      if (destroyed) return
      const { acquired, added } = addRefs(refsOf(connection), symbols, imperative, timers)
      emit(connection, acquired, added, [])
    },

    release(connection, symbols, imperative = false) {
      if (destroyed) return
      const entry = byConnection.get(connection)
      if (!entry) return
      const released = removeRefs(entry, symbols, imperative)
      if (unsubscribeDelayMs <= 0) return emit(connection, [], [], released)
      for (const symbol of released) {
        const finish = () => finishRelease(connection, symbol)
        entry.pending.set(symbol, timers.setTimeout(finish, unsubscribeDelayMs))
      }
      if (released.length > 0) options.onHeldChange?.(connection)
    },

    wanted(connection) {
      const entry = byConnection.get(connection)
      if (!entry) return []
      const out = [...entry.refs.keys()]
      for (const symbol of entry.pending.keys()) out.push(symbol)
      return out
    },

    held(connection) {
      const entry = byConnection.get(connection)
      return entry ? [...entry.refs.keys()] : []
    },

    isWanted(connection, symbol) {
      const entry = byConnection.get(connection)
      return entry !== undefined && (entry.refs.has(symbol) || entry.pending.has(symbol))
    },

    refCount(connection, symbol) {
      return byConnection.get(connection)?.refs.get(symbol) ?? 0
    },

    snapshot: (connection) => wantedCounts(byConnection.get(connection)),

    destroy() {
      destroyed = true
      for (const entry of byConnection.values()) {
        for (const timer of entry.pending.values()) timers.clearTimeout(timer)
      }
      byConnection.clear()
    },
  }
}
