/**
 * Heap figures for the ingest bench (node --expose-gc): bytes per symbol with 100,000 symbols
 * held, against a bare Map of plain quote objects built in the same run, and heap after
 * 1e5 versus 1e6 messages on a fixed symbol set (it must not grow with the message count).
 */
import { openManager } from './path'
import { snapshotMessage, symbolList } from './frames'

const gcFn = (globalThis as { gc?: () => void }).gc

export const canMeasureHeap = typeof gcFn === 'function'

/** Heap used after full collections (several, so weak and finalised objects are gone). */
function settledHeap(): number {
  for (let i = 0; i < 4; i++) gcFn?.()
  return process.memoryUsage().heapUsed
}

function* snapshotBatches(symbols: readonly string[]): Generator<string> {
  for (let i = 0; i < symbols.length; i += 100) {
    const messages = symbols
      .slice(i, i + 100)
      .map((s, k) => snapshotMessage(s, 100 + ((i + k) % 900), 1_700_000_000_000))
    yield JSON.stringify({ type: 'batch', messages })
  }
}

export interface HeapPerSymbol {
  symbols: number
  kitBytesPerSymbol: number
  /** A Map<symbol, {symbol, price, bid, ask, volume, change24h, seq, ts}>: the least any client keeps. */
  bareMapBytesPerSymbol: number
  /** Time of one store write that changes one symbol while all are held (ms, median of 20). */
  oneSymbolWriteMs: number
  /** The same with 1,000 symbols held, for comparison. */
  oneSymbolWriteMsAt1000: number
}

/** Runs one frame in which one symbol changed and returns how long the flush took. */
function timeOneSymbolWrite(
  deliver: (seq: number) => void,
  frame: () => void,
  rounds: number,
): number {
  const times: number[] = []
  for (let seq = 1; seq <= rounds; seq++) {
    deliver(seq)
    const t0 = performance.now()
    frame()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] as number
}

export async function heapPerSymbol(count: number): Promise<HeapPerSymbol> {
  const symbols = symbolList(count)

  const bare0 = settledHeap()
  const bare = new Map<string, Record<string, unknown>>()
  for (const [i, s] of symbols.entries()) {
    const p = 100 + (i % 900)
    bare.set(s, {
      symbol: s,
      price: p,
      bid: p - 0.5,
      ask: p + 0.5,
      volume: 1000,
      change24h: 0,
      seq: 0,
      ts: 1_700_000_000_000,
    })
  }
  const bare1 = settledHeap()
  const bareBytes = (bare1 - bare0) / count
  // Read the map after measuring: V8 frees a variable after its last use, which would
  // otherwise let the collection above reclaim the map before it is measured.
  if (bare.size !== count) throw new Error('bare map lost entries')
  bare.clear()

  const writeCost = async (held: readonly string[]): Promise<{ ms: number; heapBytes: number }> => {
    const h0 = settledHeap()
    // throttleMs 0: every frame writes what changed, so each timed frame holds exactly one write.
    const live = await openManager(held, 'json', snapshotBatches(held), 0)
    const heapBytes = settledHeap() - h0
    const target = held[0] as string
    const ms = timeOneSymbolWrite(
      (seq) =>
        live.socket.deliver(
          JSON.stringify({ type: 'delta', symbol: target, seq, data: { price: 100 + seq } }),
        ),
      () => live.timers.frame(),
      21,
    )
    live.destroy()
    return { ms, heapBytes }
  }

  const big = await writeCost(symbols)
  const small = await writeCost(symbols.slice(0, 1000))
  return {
    symbols: count,
    kitBytesPerSymbol: big.heapBytes / count,
    bareMapBytesPerSymbol: bareBytes,
    oneSymbolWriteMs: big.ms,
    oneSymbolWriteMsAt1000: small.ms,
  }
}

export interface HeapGrowth {
  symbols: number
  /** [messages, heapUsed bytes] after a full GC at each checkpoint. */
  points: [number, number][]
}

/**
 * Streams deltas for a fixed symbol set, generated as it goes (so no frame list is held), and
 * records the heap at each checkpoint. A frame is run every 1,000 messages, as at 60k msg/s.
 */
export async function heapGrowth(
  symbolCount: number,
  checkpoints: readonly number[],
): Promise<HeapGrowth> {
  const symbols = symbolList(symbolCount)
  const live = await openManager(symbols, 'json', snapshotBatches(symbols), 100)
  const seqs = new Array<number>(symbolCount).fill(0)
  const points: [number, number][] = [[0, settledHeap()]]
  let sent = 0
  for (const until of checkpoints) {
    while (sent < until) {
      const i = sent % symbolCount
      const seq = (seqs[i] as number) + 1
      seqs[i] = seq
      const price = 100 + (i % 900) + (seq % 100) / 100
      live.socket.deliver(
        `{"type":"delta","symbol":"${symbols[i] as string}","seq":${seq},"ts":${1_700_000_000_000 + sent},"data":{"price":${price}}}`,
      )
      sent += 1
      if (sent % 1000 === 0) live.timers.frame()
    }
    for (let f = 0; f < 10; f++) live.timers.frame()
    points.push([sent, settledHeap()])
  }
  const stats = live.manager.getStats()
  if (stats.invalid !== 0 || stats.messagesIn < sent)
    throw new Error('heap growth run: frames went missing or invalid')
  live.destroy()
  return { symbols: symbolCount, points }
}
