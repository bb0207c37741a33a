/**
 * Market events of the Binance adapter (binance.ts): `24hrTicker` and `bookTicker` events
 * become snapshots and deltas numbered per symbol by the adapter (Binance has no sequence
 * numbers the manager can use); any other event is a `message`.
 */
import type { BinanceNames } from './binance-names'
import { decimal, FORBIDDEN_SYMBOLS, invalid, isRecord, TICKER_FIELDS } from './binanceValues'
import type { InboundEvent, TickData } from './types'

/** The adapter's memory of one symbol on the current subscription. */
interface SymbolState {
  /** Sequence number of the last event handed out. */
  seq: number
  /** False until the snapshot that starts this subscription has been handed out. */
  started: boolean
}

type SymbolStates = Map<string, SymbolState>

/** The state of a symbol, made on its first event. */
function stateOf(state: SymbolStates, symbol: string): SymbolState {
  let entry = state.get(symbol)
  if (entry === undefined) {
    entry = { seq: -1, started: false }
    state.set(symbol, entry)
  }
  return entry
}

/** A `24hrTicker` event: a complete picture, so a snapshot. */
function tickerEvent(
  state: SymbolStates,
  symbol: string,
  raw: Record<string, unknown>,
): InboundEvent {
  const data: TickData = Object.create(null) as TickData
  for (const [field, key] of TICKER_FIELDS) {
    const value = decimal(raw[key])
    if (value === undefined) {
      if (raw[key] !== undefined || field === 'price') {
        return invalid('bad_field', `24hrTicker ${symbol}: ${key} is not a number`)
      }
      continue
    }
    data[field] = value
  }
  const ts = raw['E']
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) {
    return invalid('bad_ts', `24hrTicker ${symbol}: E is not a number`)
  }
  const entry = stateOf(state, symbol)
  entry.seq += 1
  entry.started = true
  return ts === undefined
    ? { type: 'snapshot', symbol, seq: entry.seq, data }
    : { type: 'snapshot', symbol, seq: entry.seq, ts, data }
}

/** A `bookTicker` event; null when it comes before the first ticker of a subscription. */
function bookEvent(
  state: SymbolStates,
  symbol: string,
  raw: Record<string, unknown>,
  hasTicker: boolean,
): InboundEvent | null {
  const bid = decimal(raw['b'])
  const ask = decimal(raw['a'])
  if (bid === undefined || ask === undefined) {
    return invalid('bad_field', `bookTicker ${symbol}: b or a is not a number`)
  }
  const entry = stateOf(state, symbol)
  const data: TickData = Object.create(null) as TickData
  data['bid'] = bid
  data['ask'] = ask
  if (!hasTicker) {
    // A book ticker alone is complete: every event is a snapshot priced at the mid.
    data['price'] = (bid + ask) / 2
    entry.seq += 1
    entry.started = true
    return { type: 'snapshot', symbol, seq: entry.seq, data }
  }
  if (!entry.started) return null
  entry.seq += 1
  return { type: 'delta', symbol, seq: entry.seq, data }
}

/** The event reader of one adapter, see the module comment. */
export interface BinanceEvents {
  /** One Binance event (the `data` of an envelope, or a raw frame) and its stream's name. */
  decode(raw: unknown, streamName: string | undefined): InboundEvent[]
  /** The next event of each symbol starts over with a snapshot (a new subscription). */
  restart(symbols: readonly string[]): void
  /** Forgets these symbols (unsubscribed). */
  forget(symbols: readonly string[]): void
}

/**
 * Creates the reader. With `hasTicker` a `bookTicker` is a delta between tickers; without it,
 * every `bookTicker` is a snapshot priced at the mid of bid and ask.
 */
export function createBinanceEvents(names: BinanceNames, hasTicker: boolean): BinanceEvents {
  const state: SymbolStates = new Map()

  const decode = (raw: unknown, streamName: string | undefined): InboundEvent[] => {
    if (Array.isArray(raw)) {
      // `!ticker@arr`-style payloads: an array of the single-symbol events.
      return raw.flatMap((item) => decode(item, undefined))
    }
    if (!isRecord(raw)) return [{ type: 'message', message: raw }]
    const kind = raw['e']
    const streamKind = streamName?.slice(streamName.indexOf('@') + 1)
    const isTicker = kind === '24hrTicker'
    // A raw bookTicker has no `e`: it is known by its update id and fields, or by its stream.
    const isBook =
      kind === undefined &&
      (streamKind === 'bookTicker' || (typeof raw['u'] === 'number' && 'b' in raw && 'a' in raw))
    if (!isTicker && !isBook) return [{ type: 'message', message: raw }]
    const s = raw['s']
    if (typeof s !== 'string') return [invalid('bad_symbol', 'event without a symbol')]
    const symbol = names.fromWire(s)
    if (FORBIDDEN_SYMBOLS.has(symbol)) return [invalid('bad_symbol', 'forbidden symbol name')]
    if (isTicker) return [tickerEvent(state, symbol, raw)]
    const event = bookEvent(state, symbol, raw, hasTicker)
    return event === null ? [] : [event]
  }

  return {
    decode,
    restart(symbols) {
      for (const symbol of symbols) {
        const entry = state.get(symbol)
        if (entry !== undefined) entry.started = false
      }
    },
    forget(symbols) {
      for (const symbol of symbols) state.delete(symbol)
    },
  }
}
