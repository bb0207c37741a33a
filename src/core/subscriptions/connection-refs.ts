/**
 * The reference counts of one connection (ref-counts.ts keeps one record per connection):
 * adding and removing references, and the copy devtools shows. Pure bookkeeping on one record;
 * the delayed releases' timers are set by ref-counts.ts.
 */
import type { WantedCount } from '../stream-manager'
import type { TimerHandle, TimerProvider } from '../timers'

/** The counts of one connection. */
export interface ConnectionRefs {
  /** All references (`subscribe` and `subscribePrices`). */
  refs: Map<string, number>
  /** The part of `refs` that `subscribePrices` added. */
  imperative: Map<string, number>
  /** Symbols whose last release waits for `unsubscribeDelayMs`, with their timer. */
  pending: Map<string, TimerHandle>
}

/** A connection with no reference yet. */
export function emptyRefs(): ConnectionRefs {
  return { refs: new Map(), imperative: new Map(), pending: new Map() }
}

/** Distinct symbols of a call, so `['A', 'A']` counts once (its release undoes it once). */
function distinct(symbols: readonly string[]): readonly string[] {
  if (symbols.length < 2) return symbols
  return symbols.length === new Set(symbols).size ? symbols : [...new Set(symbols)]
}

/**
 * Adds one reference per distinct symbol. Returns the symbols whose count went from 0 to 1
 * (`acquired`), and those of them that enter the wanted set (`added`): a symbol whose last
 * release was still waiting stays wanted, its release is cancelled and nothing is sent.
 */
export function addRefs(
  entry: ConnectionRefs,
  symbols: readonly string[],
  imperative: boolean,
  timers: Pick<TimerProvider, 'clearTimeout'>,
): { acquired: string[]; added: string[] } {
  const acquired: string[] = []
  const added: string[] = []
  for (const symbol of distinct(symbols)) {
    const count = entry.refs.get(symbol) ?? 0
    entry.refs.set(symbol, count + 1)
    if (imperative) entry.imperative.set(symbol, (entry.imperative.get(symbol) ?? 0) + 1)
    if (count > 0) continue
    acquired.push(symbol)
    const timer = entry.pending.get(symbol)
    if (timer !== undefined) {
      // The want came back within the delay: still wanted, nothing to send.
      timers.clearTimeout(timer)
      entry.pending.delete(symbol)
    } else {
      added.push(symbol)
    }
  }
  return { acquired, added }
}

/**
 * Removes one reference per distinct symbol; returns the symbols whose count reached 0. With
 * `imperative`, only references an imperative acquire added are removed; without it, the
 * references of `subscribePrices` are left alone. A symbol with no reference is skipped.
 */
export function removeRefs(
  entry: ConnectionRefs,
  symbols: readonly string[],
  imperative: boolean,
): string[] {
  const released: string[] = []
  for (const symbol of distinct(symbols)) {
    const count = entry.refs.get(symbol) ?? 0
    if (count === 0) continue
    if (imperative) {
      const own = entry.imperative.get(symbol) ?? 0
      if (own === 0) continue
      if (own === 1) entry.imperative.delete(symbol)
      else entry.imperative.set(symbol, own - 1)
    } else if (count === (entry.imperative.get(symbol) ?? 0)) {
      // Every remaining reference belongs to subscribePrices: not ours to remove.
      continue
    }
    if (count > 1) {
      entry.refs.set(symbol, count - 1)
      continue
    }
    entry.refs.delete(symbol)
    released.push(symbol)
  }
  return released
}

/**
 * The wanted set with its counts, a copy for devtools. Properties are defined, not assigned,
 * so any symbol name (even `__proto__`) stays a plain key.
 */
export function wantedCounts(entry: ConnectionRefs | undefined): Record<string, WantedCount> {
  const out: Record<string, WantedCount> = {}
  if (!entry) return out
  const put = (symbol: string, count: WantedCount) =>
    Object.defineProperty(out, symbol, {
      value: count,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  for (const [symbol, refs] of entry.refs)
    put(symbol, { refs, imperative: entry.imperative.get(symbol) ?? 0, pendingRelease: false })
  for (const symbol of entry.pending.keys())
    put(symbol, { refs: 0, imperative: 0, pendingRelease: true })
  return out
}
