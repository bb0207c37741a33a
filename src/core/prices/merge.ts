import type { PriceSource } from '../types'
import { createResyncGaps } from './resync-gaps'
import {
  applyDelta,
  applySnapshot,
  newSymbolState,
  type MergeResult,
  type SymbolState,
} from './symbol-state'

export { emptyData, safeAssign, safeCopy } from './safe-data'
export type { MergeResult, SymbolState } from './symbol-state'

/**
 * How long to wait for the snapshot a `resync` asked for before asking again (PROTOCOL.md 3.3).
 * @defaultValue 5000 (DEFAULTS.resyncRetryMs)
 */
export const RESYNC_RETRY_MS = 5_000

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

/**
 * Creates an empty merge state. `resyncRetryMs` defaults to {@link RESYNC_RETRY_MS}. The state
 * of one symbol and how a message changes it are in prices/symbol-state.ts, the open gaps in
 * prices/resync-gaps.ts; this holds the seq rules.
 */
export function createMergeState(resyncRetryMs: number = RESYNC_RETRY_MS): MergeState {
  const symbols = new Map<string, SymbolState>()
  const gaps = createResyncGaps(resyncRetryMs)

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
    if (!state) symbols.set(symbol, (state = newSymbolState(symbol)))
    applySnapshot(state, seq, ts, data, receivedAt, source)
    gaps.close(state)
    return 'applied'
  }

  function startGap(symbol: string, receivedAt: number): MergeResult {
    let state = symbols.get(symbol)
    // A delta with no snapshot yet: remember the gap without a value.
    if (!state) symbols.set(symbol, (state = newSymbolState(symbol)))
    return gaps.open(state, receivedAt)
  }

  return {
    get: (symbol) => symbols.get(symbol),
    symbols,
    snapshot: (symbol, seq, ts, data, receivedAt) =>
      replace(symbol, seq, ts, data, receivedAt, 'stream'),
    delta(symbol, seq, ts, data, receivedAt) {
      const state = symbols.get(symbol)
      if (!state || !state.hasSnapshot) return startGap(symbol, receivedAt)
      if (state.awaitingSnapshot) return 'ignored'
      if (seq <= state.seq) return 'duplicate'
      if (seq !== state.seq + 1) return startGap(symbol, receivedAt)
      const price = data.price
      if (price !== undefined && !isFiniteNumber(price)) return 'invalid'
      applyDelta(state, seq, ts, data, receivedAt)
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
    dueResyncs: (now) => gaps.due(now),
    nextResyncAt: () => gaps.nextAt(),
    clearGap(symbol) {
      const state = symbols.get(symbol)
      if (!state) return
      gaps.close(state)
      if (!state.hasSnapshot) symbols.delete(symbol)
    },
    remove(symbol) {
      const state = symbols.get(symbol)
      if (state) gaps.close(state)
      symbols.delete(symbol)
    },
    clear() {
      symbols.clear()
      gaps.clear()
    },
  }
}

export { buildTick, directionOf } from './tick'
