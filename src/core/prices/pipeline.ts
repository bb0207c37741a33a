import { DEFAULTS } from '../config'
import type { PolledSnapshot } from '../fallback/types'
import type { TickData } from '../protocols/types'
import type { WantedChange } from '../subscriptions/ref-counts'
import type { TimerProvider } from '../timers'
import type { ConnectionInfo, StreamErrorEvent, SymbolError } from '../types'
import type { StreamDiff } from './diff'
import { createFrameScheduler } from './frame-scheduler'
import { createPriceBook } from './price-book'

/** Options of {@link createPricePipeline}; the manager resolves the defaults. */
export interface PricePipelineOptions {
  timers: TimerProvider
  /** Per symbol, the store changes at most once per this many ms; 0 turns it off. @defaultValue 100 */
  throttleMs: number
  /** No update for this long marks a symbol stale; 0 or Infinity turns it off. @defaultValue 30000 */
  staleAfterMs: number
  /** A value is kept this long after its symbol is unsubscribed. @defaultValue 30000 */
  cacheTtlMs: number
  /**
   * Reads a connection's info when a frame is written (a copy; no side effect may hang on it).
   * The connections live beside the pipeline, on the same side of the seam.
   */
  readConnection(name: string): ConnectionInfo | undefined
  /** The pipeline's only output: one diff per animation frame, never empty. */
  onDiff(diff: StreamDiff): void
  /** An outbound command: ask this connection for fresh snapshots (sequence gaps). */
  resync(connection: string, symbols: string[]): void
  /** A message that passed the protocol but cannot be applied (a snapshot with no price). */
  onError(event: StreamErrorEvent): void
}

/**
 * One connection's entrance into the pipeline: plain data in, one argument list per message on
 * the hot path. Frames for symbols with no subscription outstanding are ignored (PROTOCOL.md 3.3).
 */
export interface PipelineInput {
  /** A snapshot or delta. Hot path: no object is allocated per message. */
  tick(
    type: 'snapshot' | 'delta',
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: TickData,
    receivedAt: number,
  ): void
  /** A polled REST snapshot (fallback); its `unknown` symbols become `unknown_symbol` errors. */
  polled(snapshot: PolledSnapshot, receivedAt: number): void
  /**
   * A REST snapshot for the first paint, applied to `wanted` (symbols held now, before the
   * socket is told) with the rule of polled values: never over a newer streamed price.
   */
  seed(snapshot: PolledSnapshot, receivedAt: number, wanted: ReadonlySet<string>): void
  /**
   * Errors standing for these symbols (`unknown_symbol`, `limit_exceeded`); the caller passes
   * only symbols still wanted. Returns whether any was set: the wanted set then shrinks at once.
   */
  symbolErrors(symbols: readonly string[], error: SymbolError): boolean
  /** The set the connection was last told to stream: ticks for other symbols are dropped. */
  outstanding(symbols: readonly string[]): void
  /** The connection's info changed; `'counters'` when only traffic counters moved (throttled). */
  connectionChanged(kind?: 'counters'): void
}

/**
 * The price pipeline: merge (seq rules, safe copy), the per-symbol book (stale marks, cache,
 * resync retries), the per-symbol throttle and the frame scheduler. Input is plain data from
 * the connections and the wanted sets; output is one {@link StreamDiff} per frame, a
 * structured-cloneable value, so the same pipeline can run in a Worker with only the store
 * writer (`applyDiff`) on the page.
 */
export interface PricePipeline {
  /** The entrance for one connection's data. */
  input(connection: string): PipelineInput
  /** A wanted-set change (plain data from the reference counts). */
  wanted(change: WantedChange): void
  /** Whether an error stands for the symbol (it is then left out of the wanted set). */
  hasError(symbol: string): boolean
  /** Changes the per-symbol throttle (ms, 0 for none); symbols in their window follow it. */
  setThrottle(ms: number): void
  /** Writes what is due now instead of at the next frame (creation, destroy, tests). */
  flush(): void
  /** Cancels frames and timers; inert afterwards. */
  destroy(): void
}

/** Creates the pipeline. Nothing reads the store: the diff is built from the book alone. */
export function createPricePipeline(options: PricePipelineOptions): PricePipeline {
  const { timers } = options
  let destroyed = false
  // Built first, the scheduler decides when; at each frame it collects from the book.
  const scheduler = createFrameScheduler({
    timers,
    throttleMs: options.throttleMs,
    apply: (diff) => options.onDiff(diff),
    collect: {
      price: (symbol) => book.tickFor(symbol),
      connection: (name) => options.readConnection(name),
      symbolError: (symbol) => book.errorFor(symbol),
    },
  })
  const book = createPriceBook({
    timers,
    staleAfterMs: options.staleAfterMs,
    cacheTtlMs: options.cacheTtlMs,
    resyncRetryMs: DEFAULTS.resyncRetryMs,
    scheduler,
    resync(connection, symbols) {
      // Only symbols still outstanding there: a released one needs no fresh snapshot.
      const still = outstandingBy.get(connection)
      const due = still ? symbols.filter((symbol) => still.has(symbol)) : []
      if (due.length > 0) options.resync(connection, due)
    },
    onError: options.onError,
  })

  /** Per connection, the set it was last told to stream. */
  const outstandingBy = new Map<string, ReadonlySet<string>>()

  function input(connection: string): PipelineInput {
    let outstanding: ReadonlySet<string> = new Set()
    outstandingBy.set(connection, outstanding)
    return {
      tick(type, symbol, seq, ts, data, receivedAt) {
        if (!destroyed && outstanding.has(symbol))
          book.apply(connection, type, symbol, seq, ts, data, receivedAt)
      },
      polled(snapshot, receivedAt) {
        if (!destroyed) book.polled(connection, snapshot, receivedAt, outstanding)
      },
      seed(snapshot, receivedAt, wanted) {
        if (!destroyed) book.polled(connection, snapshot, receivedAt, wanted)
      },
      symbolErrors(symbols, error) {
        return !destroyed && book.setErrors(symbols, error)
      },
      outstanding(symbols) {
        outstanding = new Set(symbols)
        outstandingBy.set(connection, outstanding)
      },
      connectionChanged(kind) {
        if (destroyed) return
        // Counters alone (per inbound frame) are throttled; anything a UI shows goes next frame.
        if (kind === 'counters') scheduler.markConnectionCounters(connection)
        else scheduler.markConnection(connection)
      },
    }
  }

  return {
    input,
    wanted: (change) => book.wantedChanged(change),
    hasError: (symbol) => book.hasError(symbol),
    setThrottle: (ms) => scheduler.setThrottle(ms),
    flush: () => scheduler.flush(),
    destroy() {
      destroyed = true
      scheduler.destroy()
      book.destroy()
      outstandingBy.clear()
    },
  }
}
