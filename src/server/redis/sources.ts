/**
 * Where a publisher's moves come from: today's simulated market, or an upstream exchange
 * stream read through the core's own protocol adapters (`binanceProtocol()` by default) and
 * its stream manager, which brings reconnection, pacing and sequence checks with it.
 */
import { WebSocket } from 'ws'
import {
  binanceProtocol,
  createStreamManager,
  type PriceTick,
  type ProtocolAdapter,
  type WebSocketConstructor,
} from '../../core/index'
import { createMarket, type MarketOptions, type PriceData, type SymbolMove } from '../market'
import { PRICE_FIELDS } from './codec'

/** A market a publisher owns while it holds the lease. */
export interface MoveSource {
  readonly symbols: readonly string[]
  /** The whole current data of a symbol, or undefined when it has none yet. */
  current(symbol: string): PriceData | undefined
  /** Continues from a previously published value (a takeover must not jump prices). */
  adopt(symbol: string, data: PriceData): void
  /** Starts producing moves; `emit` receives them with only the changed fields. */
  start(emit: (moves: SymbolMove[]) => void): void
  stop(): void
  /** Moves once now (simulation only; an upstream moves when it wants). */
  step(): SymbolMove[]
}

/** The simulated market of `createFeedServer`, stepped `tickHz` times a second. */
export function simulatedSource(options: MarketOptions & { tickHz?: number }): MoveSource {
  const market = createMarket(options)
  const tickHz = options.tickHz ?? 10
  let timer: NodeJS.Timeout | undefined
  let emit: ((moves: SymbolMove[]) => void) | undefined
  return {
    symbols: market.symbols,
    current: (symbol) => market.snapshot(symbol)?.data,
    adopt(symbol, data) {
      market.apply(symbol, data)
    },
    start(next) {
      emit = next
      clearInterval(timer)
      if (tickHz > 0) timer = setInterval(() => emit?.(market.step()), 1000 / tickHz)
    },
    stop() {
      clearInterval(timer)
      timer = undefined
      emit = undefined
    },
    step: () => market.step(),
  }
}

/** An upstream exchange stream for a publisher. */
export interface UpstreamOptions {
  /** WebSocket URL, e.g. `wss://stream.binance.com:9443/stream`. */
  url: string
  /** Symbols to publish, by your names (the adapter maps them to the exchange's). */
  symbols: readonly string[]
  /**
   * The adapter for the upstream's wire format.
   * @defaultValue binanceProtocol({ symbols: exchangeNames })
   */
  protocol?: ProtocolAdapter
  /** Your names mapped to the exchange's, for the default adapter, e.g. `{ 'BTC-USD': 'BTCUSDT' }`. */
  exchangeNames?: Readonly<Record<string, string>>
  /** WebSocket constructor. @defaultValue the `ws` package's */
  WebSocket?: WebSocketConstructor
}

function fieldsOf(tick: PriceTick, previous: PriceData | undefined): PriceData {
  const data: PriceData = previous
    ? { ...previous }
    : { price: 0, bid: 0, ask: 0, volume: 0, change24h: 0, high24h: 0, low24h: 0 }
  for (const key of PRICE_FIELDS) {
    const value = tick[key]
    if (typeof value === 'number' && Number.isFinite(value)) data[key] = value
  }
  if (!previous) {
    // Fields the upstream has not sent yet start from the price, never from 0.
    for (const key of PRICE_FIELDS) {
      if (typeof tick[key] !== 'number' && key !== 'volume' && key !== 'change24h')
        data[key] = data.price
    }
  }
  return data
}

/**
 * Reads an upstream through `createStreamManager` (throttle off) and turns each store
 * change of a symbol into a move of the fields that changed. The socket is open only while
 * the publisher is active, so a standby costs the upstream nothing.
 */
export function upstreamSource(options: UpstreamOptions): MoveSource {
  const symbols = [...new Set(options.symbols)]
  const latest = new Map<string, PriceData>()
  const seen = new Map<string, PriceTick>()
  let stopRun: (() => void) | undefined

  return {
    symbols,
    current: (symbol) => latest.get(symbol),
    adopt(symbol, data) {
      latest.set(symbol, { ...data })
    },
    start(emit) {
      stopRun?.()
      const manager = createStreamManager({
        url: options.url,
        protocol: options.protocol ?? binanceProtocol({ symbols: options.exchangeNames ?? {} }),
        WebSocket: options.WebSocket ?? (WebSocket as unknown as WebSocketConstructor),
        throttleMs: 0,
      })
      const release = manager.subscribe(symbols)
      const unsubscribe = manager.store.subscribe((state) => {
        const moves: SymbolMove[] = []
        for (const symbol of symbols) {
          const tick = state.prices[symbol]
          if (!tick || seen.get(symbol) === tick) continue
          seen.set(symbol, tick)
          const previous = latest.get(symbol)
          const next = fieldsOf(tick, previous)
          const changed: Partial<PriceData> = {}
          for (const key of PRICE_FIELDS) {
            if (!previous || previous[key] !== next[key]) changed[key] = next[key]
          }
          latest.set(symbol, next)
          if (Object.keys(changed).length > 0)
            moves.push({ symbol, seq: tick.seq, ts: tick.ts, data: changed })
        }
        if (moves.length > 0) emit(moves)
      })
      stopRun = () => {
        unsubscribe()
        release()
        manager.destroy()
        seen.clear()
      }
    },
    stop() {
      stopRun?.()
      stopRun = undefined
    },
    step: () => [],
  }
}
