import type { PriceSource } from '../types'

const hasOwn = Object.prototype.hasOwnProperty

/**
 * How long to wait for the snapshot a `resync` asked for before asking again (PROTOCOL.md 3.3).
 * @defaultValue 5000 (DEFAULTS.resyncRetryMs)
 */
export const RESYNC_RETRY_MS = 5_000

/**
 * The merge state of one symbol. Mutable on purpose: a delta updates it in place (the hot path
 * allocates nothing), and a {@link PriceTick} is built from it once per frame at most.
 */
export interface SymbolState {
  symbol: string
  /** Null-prototype copy of every data key received and not forbidden. */
  data: Record<string, unknown>
  /** Last applied `seq`; -1 before the first snapshot. */
  seq: number
  /** Whether a snapshot (streamed or polled) has been applied since the last reset. */
  hasSnapshot: boolean
  /**
   * Whether `data` was handed to a shown tick. The next delta then copies it before writing
   * (copy on write): a tick never changes, and the store and the merge state share one object
   * per symbol instead of two.
   */
  shared: boolean
  ts: number
  receivedAt: number
  source: PriceSource
  stale: boolean
  /** A gap was seen: deltas are ignored until a snapshot comes. */
  awaitingSnapshot: boolean
  /**
   * Price of the last tick built from this state (what the screen shows), for the next tick's
   * `direction`; undefined before the first. Kept here so the pipeline never reads the store.
   */
  shownPrice: number | undefined
  /** When the last `resync` for this symbol was asked for (ms), while awaiting a snapshot. */
  resyncAt: number
}

/**
 * What applying one message did:
 * - `applied`: the state changed
 * - `duplicate`: a delta at or below the last seq, dropped silently
 * - `resync`: a gap; the caller sends one `resync` for the symbol
 * - `ignored`: not applied and nothing to do (waiting for a snapshot, or a poll not newer)
 * - `invalid`: a snapshot without a finite `price`
 */
export type MergeResult = 'applied' | 'duplicate' | 'resync' | 'ignored' | 'invalid'

/**
 * Copies the own keys of `source` onto `target` (a null-prototype object), except
 * `__proto__`, `constructor` and `prototype`: writing them could reach or replace a
 * prototype (PROTOCOL.md 3.3). The rest of the message is still applied.
 */
export function safeAssign(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key in source) {
    // Plain comparisons rather than a Set lookup: this runs for every key of every delta.
    if (
      key === '__proto__' ||
      key === 'constructor' ||
      key === 'prototype' ||
      !hasOwn.call(source, key)
    )
      continue
    target[key] = source[key]
  }
}

/**
 * An empty object with a null prototype, like `Object.create(null)`, but one V8 keeps in its
 * fast (shape-based) mode: `Object.create(null)` makes a hash-table object on purpose, and
 * price data is written per delta and copied per shown tick, which a hash table makes two to
 * three times slower. The few keys price data holds share one shape across symbols.
 */
export function emptyData(): Record<string, unknown> {
  return Object.setPrototypeOf({}, null) as Record<string, unknown>
}

/** A null-prototype copy of the own, allowed keys of `source`. */
export function safeCopy(source: Record<string, unknown>): Record<string, unknown> {
  const out = emptyData()
  safeAssign(out, source)
  return out
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/**
 * Per-symbol snapshot and delta application with the seq rules of PROTOCOL.md 3.2, 3.3 and 5.
 */
export interface MergeState {
  /** The state of a symbol, if any. */
  get(symbol: string): SymbolState | undefined
  /** Every symbol state (for sweeps; do not mutate the map). */
  readonly symbols: ReadonlyMap<string, SymbolState>
  /** A streamed snapshot: replaces the state whatever its seq (a restarted server starts at 0). */
  snapshot(
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: Record<string, unknown>,
    receivedAt: number,
  ): MergeResult
  /** A streamed delta: applied only at exactly last seq + 1. */
  delta(
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: Record<string, unknown>,
    receivedAt: number,
  ): MergeResult
  /**
   * A polled REST snapshot (source `poll`): applied only when there is no value, or its seq is
   * greater, or equal with a newer ts (PROTOCOL.md 5).
   */
  polled(
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: Record<string, unknown>,
    receivedAt: number,
  ): MergeResult
  /**
   * Symbols still waiting for the snapshot a resync asked for at least `RESYNC_RETRY_MS` ago;
   * their resync time is moved to `now` (so each is asked at most once per 5 s).
   */
  dueResyncs(now: number): string[]
  /** Earliest time a resync retry is due, or Infinity. */
  nextResyncAt(): number
  /** Forgets the gap state (the symbol is no longer subscribed: a new snapshot will come). */
  clearGap(symbol: string): void
  /** Drops a symbol's state. */
  remove(symbol: string): void
  clear(): void
}

/** Creates an empty merge state. `resyncRetryMs` defaults to {@link RESYNC_RETRY_MS}. */
export function createMergeState(resyncRetryMs: number = RESYNC_RETRY_MS): MergeState {
  const symbols = new Map<string, SymbolState>()
  /** Symbols awaiting a snapshot, so the retry check does not scan every symbol. */
  const awaiting = new Set<SymbolState>()

  function replace(
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: Record<string, unknown>,
    receivedAt: number,
    source: PriceSource,
  ): MergeResult {
    if (!isFiniteNumber(data.price)) return 'invalid'
    let state = symbols.get(symbol)
    if (!state) {
      state = {
        symbol,
        data: safeCopy(data),
        seq,
        hasSnapshot: true,
        shared: false,
        ts: ts ?? receivedAt,
        receivedAt,
        source,
        stale: false,
        awaitingSnapshot: false,
        resyncAt: 0,
        shownPrice: undefined,
      }
      symbols.set(symbol, state)
      return 'applied'
    }
    state.data = safeCopy(data)
    state.shared = false
    state.seq = seq
    state.hasSnapshot = true
    state.ts = ts ?? receivedAt
    state.receivedAt = receivedAt
    state.source = source
    state.stale = false
    state.awaitingSnapshot = false
    awaiting.delete(state)
    return 'applied'
  }

  function startGap(symbol: string, receivedAt: number): MergeResult {
    let state = symbols.get(symbol)
    if (!state) {
      // A delta with no snapshot yet: remember the gap without a value (seq -1, no data).
      state = {
        symbol,
        data: emptyData(),
        seq: -1,
        hasSnapshot: false,
        shared: false,
        ts: 0,
        receivedAt: 0,
        source: 'stream',
        stale: false,
        awaitingSnapshot: false,
        resyncAt: 0,
        shownPrice: undefined,
      }
      symbols.set(symbol, state)
    }
    if (state.awaitingSnapshot) return 'ignored'
    state.awaitingSnapshot = true
    state.resyncAt = receivedAt
    awaiting.add(state)
    return 'resync'
  }

  return {
    get: (symbol) => symbols.get(symbol),
    symbols,

    snapshot(symbol, seq, ts, data, receivedAt) {
      return replace(symbol, seq, ts, data, receivedAt, 'stream')
    },

    delta(symbol, seq, ts, data, receivedAt) {
      const state = symbols.get(symbol)
      if (!state || !state.hasSnapshot) return startGap(symbol, receivedAt)
      if (state.awaitingSnapshot) return 'ignored'
      if (seq <= state.seq) return 'duplicate'
      if (seq !== state.seq + 1) return startGap(symbol, receivedAt)
      const price = data.price
      if (price !== undefined && !isFiniteNumber(price)) return 'invalid'
      if (state.shared) {
        state.data = safeCopy(state.data)
        state.shared = false
      }
      safeAssign(state.data, data)
      state.seq = seq
      state.ts = ts ?? receivedAt
      state.receivedAt = receivedAt
      state.source = 'stream'
      state.stale = false
      return 'applied'
    },

    polled(symbol, seq, ts, data, receivedAt) {
      const state = symbols.get(symbol)
      if (state && state.hasSnapshot) {
        const newer = seq > state.seq || (seq === state.seq && ts !== undefined && ts > state.ts)
        if (!newer) return 'ignored'
      }
      return replace(symbol, seq, ts, data, receivedAt, 'poll')
    },

    dueResyncs(now) {
      const due: string[] = []
      for (const state of awaiting) {
        if (now - state.resyncAt >= resyncRetryMs) {
          state.resyncAt = now
          due.push(state.symbol)
        }
      }
      return due
    },

    nextResyncAt() {
      let next = Infinity
      for (const state of awaiting) next = Math.min(next, state.resyncAt + resyncRetryMs)
      return next
    },

    clearGap(symbol) {
      const state = symbols.get(symbol)
      if (!state) return
      state.awaitingSnapshot = false
      awaiting.delete(state)
      if (!state.hasSnapshot) symbols.delete(symbol)
    },

    remove(symbol) {
      const state = symbols.get(symbol)
      if (state) awaiting.delete(state)
      symbols.delete(symbol)
    },

    clear() {
      symbols.clear()
      awaiting.clear()
    },
  }
}

export { buildTick, directionOf } from './tick'
