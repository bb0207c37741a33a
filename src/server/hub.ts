/**
 * Fan-out of market moves to subscribers, and the counters behind `/metrics`.
 *
 * A subscriber (a WebSocket session or an SSE stream) is a {@link Sink}. The hub keeps, per
 * symbol, the sinks that want it, so one move costs work only for the sinks that receive it,
 * and each move is turned into JSON once however many sinks get it.
 */
import type { SymbolMove } from './market'
import type { DeltaMessage } from './messages'

/** A delta ready to send: the message and its JSON text, made once per move. */
export interface PreparedDelta {
  message: DeltaMessage
  json: string
}

/** Something that receives the deltas of its symbols: a WebSocket session or an SSE stream. */
export interface Sink {
  /** Receives the deltas of one market step for this sink's symbols, in symbol order. */
  deliver(deltas: PreparedDelta[]): void
  /** Sends a fresh snapshot of these symbols (default: every subscribed one). */
  sendSnapshots(symbols?: Iterable<string>): void
  /** True while the sink is skipping deltas because its peer reads too slowly. */
  readonly slow: boolean
}

/** Counts events per second over the last whole second (no timer: buckets roll on use). */
export class RateMeter {
  private second = 0
  private current = 0
  private previous = 0
  /** Everything counted since creation. */
  total = 0

  constructor(private readonly now: () => number) {}

  /** Adds `n` to the current second. */
  add(n: number): void {
    this.roll()
    this.current += n
    this.total += n
  }

  /** The count of the last whole second (0 when that second saw nothing). */
  perSecond(): number {
    this.roll()
    return this.previous
  }

  private roll(): void {
    const second = Math.floor(this.now() / 1000)
    if (second === this.second) return
    this.previous = second === this.second + 1 ? this.current : 0
    this.current = 0
    this.second = second
  }
}

/** Output counters shared by every sink. */
export interface Meters {
  frames: RateMeter
  bytes: RateMeter
  /** Delta frames not sent to slow sinks. */
  skipped: number
  /** Largest `bufferedAmount` seen on a socket right before a send. */
  maxBufferedBytes: number
}

/** Creates zeroed {@link Meters}. */
export function createMeters(now: () => number): Meters {
  return { frames: new RateMeter(now), bytes: new RateMeter(now), skipped: 0, maxBufferedBytes: 0 }
}

/** Told when a symbol gains its first subscriber or loses its last (an edge node's interest). */
export interface InterestListener {
  wanted(symbol: string): void
  unwanted(symbol: string): void
}

/** Symbol to subscriber registry and fan-out. */
export class Hub {
  private readonly bySymbol = new Map<string, Set<Sink>>()
  private readonly sinks = new Map<Sink, Set<string>>()

  constructor(private readonly interest?: InterestListener) {}

  /** Adds a subscription; returns false when it already existed. */
  add(sink: Sink, symbol: string): boolean {
    let symbols = this.sinks.get(sink)
    if (!symbols) this.sinks.set(sink, (symbols = new Set()))
    if (symbols.has(symbol)) return false
    symbols.add(symbol)
    let set = this.bySymbol.get(symbol)
    if (!set) {
      this.bySymbol.set(symbol, (set = new Set()))
      this.interest?.wanted(symbol)
    }
    set.add(sink)
    return true
  }

  /** Removes a subscription, if any. */
  remove(sink: Sink, symbol: string): void {
    this.sinks.get(sink)?.delete(symbol)
    const set = this.bySymbol.get(symbol)
    if (!set) return
    set.delete(sink)
    if (set.size === 0) this.forget(symbol)
  }

  private forget(symbol: string): void {
    this.bySymbol.delete(symbol)
    this.interest?.unwanted(symbol)
  }

  /** Removes every subscription of a sink (it closed). */
  removeSink(sink: Sink): void {
    for (const symbol of this.sinks.get(sink) ?? []) {
      const set = this.bySymbol.get(symbol)
      set?.delete(sink)
      if (set?.size === 0) this.forget(symbol)
    }
    this.sinks.delete(sink)
  }

  /** The symbols a sink is subscribed to (live view; do not mutate). */
  symbolsOf(sink: Sink): ReadonlySet<string> {
    return this.sinks.get(sink) ?? new Set()
  }

  /** Subscriber count per symbol, symbols without subscribers left out. */
  subscriptionCounts(): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const [symbol, set] of this.bySymbol) counts[symbol] = set.size
    return counts
  }

  /** The sinks subscribed to a symbol (live view; do not mutate). */
  sinksOf(symbol: string): ReadonlySet<Sink> {
    return this.bySymbol.get(symbol) ?? new Set()
  }

  /** Every registered sink (including sinks with no symbol left). */
  allSinks(): IterableIterator<Sink> {
    return this.sinks.keys()
  }

  /** Hands each sink the deltas of its symbols from one market step. */
  publish(moves: SymbolMove[]): void {
    const perSink = new Map<Sink, PreparedDelta[]>()
    for (const move of moves) {
      const set = this.bySymbol.get(move.symbol)
      if (!set) continue
      const message: DeltaMessage = { type: 'delta', ...move }
      const prepared = { message, json: JSON.stringify(message) }
      for (const sink of set) {
        const list = perSink.get(sink)
        if (list) list.push(prepared)
        else perSink.set(sink, [prepared])
      }
    }
    for (const [sink, deltas] of perSink) sink.deliver(deltas)
  }
}
