import type { PriceSource } from '../types'
import { emptyData, safeAssign, safeCopy } from './safe-data'

/**
 * The merge state of one symbol. Mutable on purpose: a delta updates it in place (the hot path
 * allocates nothing), and a `PriceTick` is built from it once per frame at most.
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

/** A symbol seen before any snapshot: no value (seq -1, no data). */
export function newSymbolState(symbol: string): SymbolState {
  return {
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
}

/** Replaces the state with a snapshot (streamed or polled); the caller ends any gap. */
export function applySnapshot(
  state: SymbolState,
  seq: number,
  ts: number | undefined,
  data: Record<string, unknown>,
  receivedAt: number,
  source: PriceSource,
): void {
  state.data = safeCopy(data)
  state.shared = false
  state.seq = seq
  state.hasSnapshot = true
  state.ts = ts ?? receivedAt
  state.receivedAt = receivedAt
  state.source = source
  state.stale = false
  state.awaitingSnapshot = false
}

/** Applies a delta the seq rules accepted, copying shared data first (copy on write). */
export function applyDelta(
  state: SymbolState,
  seq: number,
  ts: number | undefined,
  data: Record<string, unknown>,
  receivedAt: number,
): void {
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
}
