import { DEFAULTS } from '../config'
import { buildTick, createMergeState, type MergeResult } from './merge'
import type { FrameScheduler } from './frame-scheduler'
import type { WantedChange } from '../subscriptions/ref-counts'
import type { TimerHandle, TimerProvider } from '../timers'
import type { PolledSnapshot } from '../fallback/types'
import type { PriceTick, StreamErrorEvent, SymbolError } from '../types'

const hasOwn = Object.prototype.hasOwnProperty

/** Options of {@link createPriceBook}; the manager resolves the defaults. */
export interface PriceBookOptions {
  timers: TimerProvider
  /** No update for this long marks a symbol stale; 0 or Infinity turns it off. @defaultValue 30000 */
  staleAfterMs: number
  /** A value is kept this long after its symbol is unsubscribed. @defaultValue 30000 */
  cacheTtlMs: number
  /** Wait for a resync's snapshot before asking again. @defaultValue 5000 (PROTOCOL.md 3.3) */
  resyncRetryMs?: number
  /** Where changes are marked for the next frame. */
  scheduler: Pick<FrameScheduler, 'markPrice' | 'markPriceNow' | 'markSymbolError' | 'forget'>
  /** Sends a resync for these symbols on that connection (already batched per task). */
  resync(connection: string, symbols: string[]): void
  /** Reports a message that passed the protocol but cannot be applied. */
  onError(event: StreamErrorEvent): void
}

/**
 * The price side of the manager: merge state per symbol, standing symbol errors, which
 * connection serves each symbol, the cache of released values, and one housekeeping timer for
 * stale marks, cache expiry and resync retries. It never touches a socket or the store: it
 * marks the scheduler, and the scheduler asks it for ticks at the frame flush.
 */
export interface PriceBook {
  /**
   * A snapshot or delta for a symbol with a subscription outstanding on `connection` (the
   * caller checks that), with the message's fields as arguments: no event object per message.
   * Hot path.
   */
  apply(
    connection: string,
    type: 'snapshot' | 'delta',
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: Record<string, unknown>,
    receivedAt: number,
  ): void
  /** A polled REST snapshot; `outstanding` says which symbols the connection wants. */
  polled(
    connection: string,
    snapshot: PolledSnapshot,
    receivedAt: number,
    outstanding: ReadonlySet<string>,
  ): void
  /** Sets an error (`unknown_symbol`) on these symbols, all still wanted; returns whether any was set. */
  setErrors(symbols: readonly string[], error: SymbolError): boolean
  /** Whether an error stands for the symbol (it is then left out of the wanted set). */
  hasError(symbol: string): boolean
  /** Applies the price side of a wanted-set change: errors cleared, cache shown or started. */
  wantedChanged(change: WantedChange): void
  /**
   * The tick to show for a symbol at the frame flush (see `FrameCollector.price`): `null` once
   * for a shown symbol that was dropped, `undefined` when there is nothing to write.
   */
  tickFor(symbol: string): PriceTick | null | undefined
  /** The error standing for a symbol, or null. */
  errorFor(symbol: string): SymbolError | null
  /** Clears the timer and every state; inert afterwards. */
  destroy(): void
}

/** Creates the price book. */
export function createPriceBook(options: PriceBookOptions): PriceBook {
  const { timers, staleAfterMs, cacheTtlMs, scheduler } = options
  const resyncRetryMs = options.resyncRetryMs ?? DEFAULTS.resyncRetryMs
  const staleEnabled = staleAfterMs > 0 && Number.isFinite(staleAfterMs)
  const staleGranularityMs = Math.min(1_000, staleAfterMs / 10)
  const merge = createMergeState(resyncRetryMs)
  /** Errors standing per symbol, mirrored into `symbolErrors`. */
  const errors = new Map<string, SymbolError>()
  /** Which connection serves each symbol, for `PriceTick.connection` and resync retries. */
  const owner = new Map<string, string>()
  /** Symbols no longer wanted whose value is kept until the time given. */
  const cacheUntil = new Map<string, number>()
  /** Shown symbols dropped since the last frame: the frame writes their removal. */
  const removed = new Set<string>()
  /** Resyncs asked for during the current task, sent together in one microtask. */
  const pendingResync = new Map<string, string[]>()
  let resyncQueued = false
  let houseTimer: TimerHandle | null = null
  let houseAt = Infinity
  let destroyed = false

  function after(
    connection: string,
    symbol: string,
    result: MergeResult,
    receivedAt: number,
  ): void {
    if (result === 'applied') {
      scheduler.markPrice(symbol)
      // Cheap on the hot path: only the first update after a sweep moves the timer.
      if (staleEnabled && houseAt > receivedAt + staleAfterMs) wakeBy(receivedAt + staleAfterMs)
    } else if (result === 'resync') {
      queueResync(connection, symbol)
      wakeBy(receivedAt + resyncRetryMs)
    } else if (result === 'invalid') {
      options.onError({
        connection,
        kind: 'invalid_frame',
        code: 'bad_price',
        message: `no finite price for ${symbol}`,
      })
    }
  }

  function queueResync(connection: string, symbol: string): void {
    const list = pendingResync.get(connection)
    if (list) list.push(symbol)
    else pendingResync.set(connection, [symbol])
    if (resyncQueued) return
    resyncQueued = true
    // The gaps of one batch frame go out as one resync frame, not one frame per symbol.
    queueMicrotask(flushResyncs)
  }

  function flushResyncs(): void {
    resyncQueued = false
    if (destroyed) return
    for (const [connection, symbols] of pendingResync) options.resync(connection, symbols)
    pendingResync.clear()
  }

  function dropSymbol(symbol: string): void {
    const shown = merge.get(symbol)?.shownPrice !== undefined
    merge.remove(symbol)
    cacheUntil.delete(symbol)
    owner.delete(symbol)
    scheduler.forget(symbol)
    if (!shown) return
    // The next frame removes it from the screen.
    removed.add(symbol)
    scheduler.markPriceNow(symbol)
  }

  // ---- one timer for stale marks, cache expiry and resync retries ----
  function wakeBy(at: number): void {
    if (destroyed || at >= houseAt) return
    if (houseTimer !== null) timers.clearTimeout(houseTimer)
    houseAt = at
    houseTimer = timers.setTimeout(housekeeping, Math.max(0, at - timers.now()))
  }

  function housekeeping(): void {
    houseTimer = null
    houseAt = Infinity
    if (destroyed) return
    const now = timers.now()
    let next = Infinity
    for (const [symbol, until] of cacheUntil) {
      if (until <= now) dropSymbol(symbol)
      else next = Math.min(next, until)
    }
    if (staleEnabled) {
      let staleNext = Infinity
      for (const state of merge.symbols.values()) {
        if (!state.hasSnapshot || state.stale || cacheUntil.has(state.symbol)) continue
        const due = state.receivedAt + staleAfterMs
        if (due <= now) {
          state.stale = true
          scheduler.markPriceNow(state.symbol)
        } else {
          staleNext = Math.min(staleNext, due)
        }
      }
      // A sweep scans every symbol: symbols going quiet one after another must not each cost
      // a sweep, so stale marks may come up to a tenth of staleAfterMs (at most 1 s) late.
      next = Math.min(next, Math.max(staleNext, now + staleGranularityMs))
    }
    for (const symbol of merge.dueResyncs(now)) {
      const connection = owner.get(symbol)
      if (connection !== undefined) queueResync(connection, symbol)
    }
    next = Math.min(next, merge.nextResyncAt())
    if (next !== Infinity) wakeBy(next)
  }

  function apply(
    connection: string,
    type: 'snapshot' | 'delta',
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: Record<string, unknown>,
    receivedAt: number,
  ): void {
    if (destroyed) return
    const result =
      type === 'delta'
        ? merge.delta(symbol, seq, ts, data, receivedAt)
        : merge.snapshot(symbol, seq, ts, data, receivedAt)
    after(connection, symbol, result, receivedAt)
  }

  return {
    apply,

    polled(connection, snapshot, receivedAt, outstanding) {
      if (destroyed) return
      for (const symbol in snapshot.prices) {
        if (!hasOwn.call(snapshot.prices, symbol) || !outstanding.has(symbol)) continue
        const entry = snapshot.prices[symbol]
        if (!entry) continue
        after(
          connection,
          symbol,
          merge.polled(symbol, entry.seq, entry.ts, entry.data, receivedAt),
          receivedAt,
        )
      }
    },

    setErrors(symbols, error) {
      let changed = false
      for (const symbol of symbols) {
        errors.set(symbol, { code: error.code, message: error.message })
        merge.clearGap(symbol)
        scheduler.markSymbolError(symbol)
        changed = true
      }
      return changed
    },

    hasError: (symbol) => errors.has(symbol),

    wantedChanged(change) {
      for (const symbol of change.acquired) {
        // Every subscriber had released it: a new want clears the error and subscribes again.
        if (errors.delete(symbol)) scheduler.markSymbolError(symbol)
      }
      for (const symbol of change.added) {
        owner.set(symbol, change.connection)
        if (!cacheUntil.delete(symbol)) continue
        const state = merge.get(symbol)
        if (state) {
          // Shown from the cache until the subscription's snapshot arrives.
          state.source = 'cache'
          scheduler.markPriceNow(symbol)
        }
      }
      const now = timers.now()
      for (const symbol of change.removed) {
        if (merge.get(symbol)?.hasSnapshot && cacheTtlMs > 0) {
          merge.clearGap(symbol)
          cacheUntil.set(symbol, now + cacheTtlMs)
          wakeBy(now + cacheTtlMs)
        } else {
          dropSymbol(symbol)
        }
      }
    },

    tickFor(symbol) {
      const state = merge.get(symbol)
      if (!state || !state.hasSnapshot) return removed.delete(symbol) ? null : undefined
      removed.delete(symbol)
      return buildTick(state, owner.get(symbol) ?? '')
    },

    errorFor: (symbol) => errors.get(symbol) ?? null,

    destroy() {
      destroyed = true
      if (houseTimer !== null) timers.clearTimeout(houseTimer)
      houseTimer = null
      merge.clear()
      errors.clear()
      owner.clear()
      cacheUntil.clear()
      removed.clear()
      pendingResync.clear()
    },
  }
}
