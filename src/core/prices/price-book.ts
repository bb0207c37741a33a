import { DEFAULTS } from '../config'
import { createHousekeeping, type Housekeeping } from './book-housekeeping'
import { buildTick, createMergeState, type MergeResult, type MergeState } from './merge'
import type { FrameScheduler } from './frame-scheduler'
import { createResyncQueue, type ResyncQueue } from './resync-queue'
import type { WantedChange } from '../subscriptions/ref-counts'
import type { TimerProvider } from '../timers'
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

/** The book's state, shared by the functions below (one per kind of input). */
interface Book {
  options: PriceBookOptions
  scheduler: PriceBookOptions['scheduler']
  resyncRetryMs: number
  merge: MergeState
  /** Errors standing per symbol, mirrored into `symbolErrors`. */
  errors: Map<string, SymbolError>
  /** Which connection serves each symbol, for `PriceTick.connection` and resync retries. */
  owner: Map<string, string>
  /** Symbols no longer wanted whose value is kept until the time given. */
  cacheUntil: Map<string, number>
  /** Shown symbols dropped since the last frame: the frame writes their removal. */
  removed: Set<string>
  resyncs: ResyncQueue
  house: Housekeeping
  destroyed: boolean
}

/** What follows a message: mark it for the frame, ask for a resync, or report it. */
function after(book: Book, connection: string, symbol: string, result: MergeResult, at: number) {
  if (result === 'applied') {
    book.scheduler.markPrice(symbol)
    // Cheap on the hot path: only the first update after a sweep moves the timer.
    if (book.house.staleEnabled) book.house.wakeBy(at + book.options.staleAfterMs)
  } else if (result === 'resync') {
    book.resyncs.queue(connection, symbol)
    book.house.wakeBy(at + book.resyncRetryMs)
  } else if (result === 'invalid') {
    book.options.onError({
      connection,
      kind: 'invalid_frame',
      code: 'bad_price',
      message: `no finite price for ${symbol}`,
    })
  }
}

function dropSymbol(book: Book, symbol: string): void {
  const shown = book.merge.get(symbol)?.shownPrice !== undefined
  book.merge.remove(symbol)
  book.cacheUntil.delete(symbol)
  book.owner.delete(symbol)
  book.scheduler.forget(symbol)
  if (!shown) return
  // The next frame removes it from the screen.
  book.removed.add(symbol)
  book.scheduler.markPriceNow(symbol)
}

function polled(
  book: Book,
  connection: string,
  snapshot: PolledSnapshot,
  receivedAt: number,
  outstanding: ReadonlySet<string>,
): void {
  for (const symbol in snapshot.prices) {
    if (!hasOwn.call(snapshot.prices, symbol) || !outstanding.has(symbol)) continue
    const entry = snapshot.prices[symbol]
    if (!entry) continue
    const result = book.merge.polled(symbol, entry.seq, entry.ts, entry.data, receivedAt)
    after(book, connection, symbol, result, receivedAt)
  }
}

function wantedChanged(book: Book, change: WantedChange): void {
  const { errors, scheduler, cacheUntil, merge } = book
  for (const symbol of change.acquired) {
    // Every subscriber had released it: a new want clears the error and subscribes again.
    if (errors.delete(symbol)) scheduler.markSymbolError(symbol)
  }
  for (const symbol of change.added) {
    book.owner.set(symbol, change.connection)
    if (!cacheUntil.delete(symbol)) continue
    const state = merge.get(symbol)
    if (state) {
      // Shown from the cache until the subscription's snapshot arrives.
      state.source = 'cache'
      scheduler.markPriceNow(symbol)
    }
  }
  const now = book.options.timers.now()
  const { cacheTtlMs } = book.options
  for (const symbol of change.removed) {
    if (merge.get(symbol)?.hasSnapshot && cacheTtlMs > 0) {
      merge.clearGap(symbol)
      cacheUntil.set(symbol, now + cacheTtlMs)
      book.house.wakeBy(now + cacheTtlMs)
    } else dropSymbol(book, symbol)
  }
}

function newBook(options: PriceBookOptions): Book {
  const resyncRetryMs = options.resyncRetryMs ?? DEFAULTS.resyncRetryMs
  const merge = createMergeState(resyncRetryMs)
  const cacheUntil = new Map<string, number>()
  const owner = new Map<string, string>()
  const resyncs = createResyncQueue(options.resync)
  const book: Book = {
    options,
    scheduler: options.scheduler,
    resyncRetryMs,
    merge,
    errors: new Map(),
    owner,
    cacheUntil,
    removed: new Set(),
    resyncs,
    house: createHousekeeping({
      timers: options.timers,
      staleAfterMs: options.staleAfterMs,
      merge,
      cacheUntil,
      expire: (symbol) => dropSymbol(book, symbol),
      markStale: (symbol) => options.scheduler.markPriceNow(symbol),
      resyncDue(symbol) {
        const connection = owner.get(symbol)
        if (connection !== undefined) resyncs.queue(connection, symbol)
      },
    }),
    destroyed: false,
  }
  return book
}

/**
 * Creates the price book. Its parts: the merge state (prices/merge.ts), the housekeeping timer
 * (prices/book-housekeeping.ts) and the resync batching (prices/resync-queue.ts).
 */
export function createPriceBook(options: PriceBookOptions): PriceBook {
  const book = newBook(options)
  const { merge, errors, scheduler } = book
  return {
    apply(connection, type, symbol, seq, ts, data, receivedAt) {
      if (book.destroyed) return
      const result =
        type === 'delta'
          ? merge.delta(symbol, seq, ts, data, receivedAt)
          : merge.snapshot(symbol, seq, ts, data, receivedAt)
      after(book, connection, symbol, result, receivedAt)
    },
    polled(connection, snapshot, receivedAt, outstanding) {
      if (!book.destroyed) polled(book, connection, snapshot, receivedAt, outstanding)
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
    wantedChanged: (change) => wantedChanged(book, change),
    tickFor(symbol) {
      const state = merge.get(symbol)
      if (!state || !state.hasSnapshot) return book.removed.delete(symbol) ? null : undefined
      book.removed.delete(symbol)
      return buildTick(state, book.owner.get(symbol) ?? '')
    },
    errorFor: (symbol) => errors.get(symbol) ?? null,
    destroy() {
      book.destroyed = true
      book.house.destroy()
      book.resyncs.destroy()
      merge.clear()
      errors.clear()
      book.owner.clear()
      book.cacheUntil.clear()
      book.removed.clear()
    },
  }
}
