/**
 * Does a frame's store write scale with what changed or with what is held? One frame that
 * changes `changed` symbols is timed with 1,000 and with 100,000 symbols held, interleaved
 * round by round so load from elsewhere hits both alike:
 * - `flush`: the frame flush of a real manager (scheduler, ticks built from the book, the
 *   store write, its listeners), after the frame's deltas were delivered (not timed);
 * - `delivery + flush`: the same with the delivery of the frame's deltas on the clock;
 * - `store write`: `applyDiff` alone on a bare store, with a diff built beforehand.
 * Goal (issue 14): with 100,000 held, at most 2x the same frame with 1,000 held.
 * Rounds run back to back, as frames do; medians, and the 90th percentile beside them.
 */
import { applyDiff, createStreamStore } from '../../src/core/index'
import type { PriceTick, StreamDiff } from '../../src/core/index'
// Internal, read only: the empty diff the pipeline starts each frame from.
import { emptyDiff } from '../../src/core/prices/diff'
import { snapshotMessage, symbolList } from './frames'
import { collectGarbage, openManager, type LiveManager } from './path'
import { priceTick } from '../../test/helpers/priceTick'

export interface StoreScaleResult {
  changed: number
  rounds: number
  held: number[]
  /** Per held count, the times of each round (ms). */
  flushMs: Record<number, number[]>
  deliveryAndFlushMs: Record<number, number[]>
  storeWriteMs: Record<number, number[]>
}

function* snapshotBatches(symbols: readonly string[]): Generator<string> {
  for (let i = 0; i < symbols.length; i += 100) {
    const messages = symbols
      .slice(i, i + 100)
      .map((s, k) => snapshotMessage(s, 100 + ((i + k) % 900), 1_700_000_000_000))
    yield JSON.stringify({ type: 'batch', messages })
  }
}

/**
 * The frame's deltas, as batch frames of 50: a window of `changed` symbols that moves on by
 * `changed` each call, each delta at its symbol's next seq (snapshots are at seq 0).
 */
function deltaFrames(s: Side, changed: number): string[] {
  const frames: string[] = []
  const { symbols, seqs } = s
  const start = s.window
  s.window = (s.window + changed) % symbols.length
  for (let i = 0; i < changed; i += 50) {
    const messages = []
    for (let k = i; k < Math.min(changed, i + 50); k++) {
      const index = (start + k) % symbols.length
      const seq = ((seqs[index] as number) += 1)
      const symbol = symbols[index] as string
      messages.push({ type: 'delta', symbol, seq, data: { price: 100 + (seq % 100) } })
    }
    frames.push(JSON.stringify({ type: 'batch', messages }))
  }
  return frames
}

const tick = (symbol: string, price: number): PriceTick => priceTick(symbol, price, { seq: price })

interface Side {
  held: number
  symbols: string[]
  /** Per symbol, the last seq sent. */
  seqs: Uint32Array
  /** Where the next frame's window of changed symbols starts. */
  window: number
  live: LiveManager
  store: ReturnType<typeof createStreamStore>
}

async function side(held: number): Promise<Side> {
  const symbols = symbolList(held)
  // throttleMs 0: each timed frame writes exactly what its deltas changed.
  const live = await openManager(symbols, 'json', snapshotBatches(symbols), 0)
  const store = createStreamStore()
  const all = emptyDiff()
  for (const symbol of symbols) all.prices[symbol] = tick(symbol, 0)
  applyDiff(store, all)
  return { held, symbols, seqs: new Uint32Array(held), window: 0, live, store }
}

function storeDiff(symbols: readonly string[], changed: number, round: number): StreamDiff {
  const diff = emptyDiff()
  const start = (round * changed) % symbols.length
  for (let k = 0; k < changed; k++) {
    const symbol = symbols[(start + k) % symbols.length] as string
    diff.prices[symbol] = tick(symbol, round + 1)
  }
  return diff
}

/** Times one round of the three measures on one side. */
function round(s: Side, changed: number, r: number, out: StoreScaleResult): void {
  const frames = deltaFrames(s, changed)
  for (const frame of frames) s.live.socket.deliver(frame)
  let t0 = performance.now()
  s.live.timers.frame()
  out.flushMs[s.held]?.push(performance.now() - t0)

  const next = deltaFrames(s, changed)
  t0 = performance.now()
  for (const frame of next) s.live.socket.deliver(frame)
  s.live.timers.frame()
  out.deliveryAndFlushMs[s.held]?.push(performance.now() - t0)

  const diff = storeDiff(s.symbols, changed, r)
  t0 = performance.now()
  applyDiff(s.store, diff)
  out.storeWriteMs[s.held]?.push(performance.now() - t0)
}

/** Runs the comparison; `held` lists the symbol counts (the first is the baseline). */
export async function storeScale(
  held: readonly number[],
  changed: number,
  rounds: number,
  warmup: number,
): Promise<StoreScaleResult> {
  const out: StoreScaleResult = {
    changed,
    rounds,
    held: [...held],
    flushMs: {},
    deliveryAndFlushMs: {},
    storeWriteMs: {},
  }
  const sides: Side[] = []
  for (const count of held) {
    sides.push(await side(count))
    out.flushMs[count] = []
    out.deliveryAndFlushMs[count] = []
    out.storeWriteMs[count] = []
  }
  // One full collection after the setup, none per round: a forced full GC leaves its sweeping
  // to the allocations that follow, a cost of the heap's size that a real frame does not pay
  // at every frame. Collections the frames themselves cause are part of what is timed.
  collectGarbage()
  for (let r = 0; r < warmup + rounds; r++) {
    for (const s of sides) round(s, changed, r, out)
    if (r === warmup - 1)
      for (const s of sides) {
        out.flushMs[s.held] = []
        out.deliveryAndFlushMs[s.held] = []
        out.storeWriteMs[s.held] = []
      }
  }
  for (const s of sides) {
    // Every delta must have been applied: the first symbol shows the last seq sent to it.
    const seq = s.live.manager.store.getState().prices[s.symbols[0] as string]?.seq
    if (seq !== s.seqs[0])
      throw new Error(`store scale: ${s.held} held shows seq ${String(seq)}, sent ${s.seqs[0]}`)
    s.live.destroy()
  }
  return out
}
