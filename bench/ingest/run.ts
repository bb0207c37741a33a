/**
 * Part 1, core ingest in Node. Run: `node --expose-gc --import tsx bench/ingest/run.ts`
 * (or `npm run bench -- --only=ingest`). Flags: `--quick` (shorter rounds), `--rounds=N`,
 * `--messages=N`, `--symbols=M`, `--store-only` (only the store-scale part, see
 * store-scale.ts: a frame that changes `--changed=N` symbols, default 500, with 1,000 and with
 * 100,000 held; `--store-rounds=N`, default 200, after 50 warm-up rounds).
 *
 * For each encoding (JSON, MessagePack) and framing (one delta per frame, `batch` frames) it
 * times the whole manager path against a bare decode loop over the same frames, interleaved
 * round by round after a warm-up, and reports medians and their ratio.
 */
import { describeMachine, machineInfo } from '../lib/machine'
import { flags, fmt, median, percentile, ratio, table, writeResults } from '../lib/stats'
import { buildFeed, symbolList, type Encoding, type Framing } from './frames'
import { canMeasureHeap, heapGrowth, heapPerSymbol } from './memory'
import { bareDecode, collectGarbage, decodeAndValidate, wholePath } from './path'
import { storeScale, type StoreScaleResult } from './store-scale'

const args = flags()
const quick = args.has('quick')
const SYMBOLS = Number(args.get('symbols') ?? 1000)
const MESSAGES = Number(args.get('messages') ?? (quick ? 50_000 : 200_000))
const ROUNDS = Number(args.get('rounds') ?? (quick ? 3 : 7))
const WARMUP = quick ? 1 : 2
const BATCH = 50
/** 1,000 messages per 16 ms frame is a 62,500 msg/s feed: the scale the goal speaks of. */
const MESSAGES_PER_FRAME = 1000
const THROTTLE_MS = 100
const HEAP_SYMBOLS = 100_000
const STORE_HELD = [1000, 100_000]
const STORE_CHANGED = Number(args.get('changed') ?? 500)
const STORE_ROUNDS = Number(args.get('store-rounds') ?? (quick ? 60 : 200))

/** Prints the store-scale table and writes its raw result file. */
async function runStoreScale(): Promise<StoreScaleResult> {
  const result = await storeScale(STORE_HELD, STORE_CHANGED, STORE_ROUNDS, quick ? 20 : 50)
  const [small, big] = STORE_HELD as [number, number]
  const row = (label: string, times: Record<number, number[]>): string[] => {
    const a = median(times[small] ?? [])
    const b = median(times[big] ?? [])
    const r = b / a
    const p90 = (times: number[] | undefined) => `${fmt(percentile(times ?? [], 90), 3)} ms`
    return [
      label,
      `${fmt(a, 3)} ms`,
      `${fmt(b, 3)} ms`,
      ratio(r),
      `${p90(times[small])} / ${p90(times[big])}`,
      r <= 2 ? 'ok <=2x' : 'MISS <=2x',
    ]
  }
  console.log(
    `\n### Store scale: one frame that changes ${fmt(STORE_CHANGED)} symbols, ${STORE_ROUNDS} rounds interleaved, back to back, medians\n`,
  )
  console.log(
    table(
      ['measure', `${fmt(small)} held`, `${fmt(big)} held`, 'ratio', 'p90 (small / big)', 'goal'],
      [
        row('frame flush (manager)', result.flushMs),
        row('delivery + flush (manager)', result.deliveryAndFlushMs),
        row('store write (applyDiff)', result.storeWriteMs),
      ],
    ),
  )
  console.log(`raw results: ${writeResults('ingest-store', { machine: machineInfo(), result })}`)
  return result
}

interface CaseResult {
  encoding: Encoding
  framing: Framing
  frames: number
  deltas: number
  bareMs: number[]
  validateMs: number[]
  pathMs: number[]
  storeWrites: number
  frameFlushes: number
  bareMsgsPerSec: number
  validateMsgsPerSec: number
  pathMsgsPerSec: number
  ratio: number
  validateRatio: number
}

async function runCase(encoding: Encoding, framing: Framing): Promise<CaseResult> {
  const feed = buildFeed({
    symbols: SYMBOLS,
    messages: MESSAGES,
    encoding,
    framing,
    batchSize: BATCH,
  })
  const symbols = symbolList(SYMBOLS)
  const bareMs: number[] = []
  const validateMs: number[] = []
  const pathMs: number[] = []
  let storeWrites = 0
  let frameFlushes = 0
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    // Interleaved, so a burst of load from elsewhere on the machine hits both sides alike.
    collectGarbage()
    const t0 = performance.now()
    const decoded = bareDecode(feed.frames, encoding)
    const bare = performance.now() - t0
    if (decoded !== feed.deltas)
      throw new Error(`bare decode saw ${decoded} deltas, expected ${feed.deltas}`)
    collectGarbage()
    const t1 = performance.now()
    const validated = decodeAndValidate(feed.frames)
    const validate = performance.now() - t1
    if (validated !== feed.deltas)
      throw new Error(`readFrame saw ${validated} deltas, expected ${feed.deltas}`)
    const path = await wholePath(feed, MESSAGES_PER_FRAME, THROTTLE_MS, symbols)
    if (r < WARMUP) continue
    bareMs.push(bare)
    validateMs.push(validate)
    pathMs.push(path.ms)
    storeWrites = path.storeWrites
    frameFlushes = path.frameFlushes
  }
  const bareMed = median(bareMs)
  const validateMed = median(validateMs)
  const pathMed = median(pathMs)
  return {
    encoding,
    framing,
    frames: feed.frames.length,
    deltas: feed.deltas,
    bareMs,
    validateMs,
    pathMs,
    storeWrites,
    frameFlushes,
    bareMsgsPerSec: feed.deltas / (bareMed / 1000),
    validateMsgsPerSec: feed.deltas / (validateMed / 1000),
    pathMsgsPerSec: feed.deltas / (pathMed / 1000),
    ratio: pathMed / bareMed,
    validateRatio: validateMed / bareMed,
  }
}

async function main(): Promise<void> {
  const machine = machineInfo()
  console.log(`\n## 1. Core ingest (Node)\n${describeMachine(machine)}`)
  if (args.has('store-only')) {
    await runStoreScale()
    return
  }
  console.log(
    `${fmt(MESSAGES)} deltas per round over ${fmt(SYMBOLS)} symbols, batch = ${BATCH} deltas/frame, ` +
      `${fmt(MESSAGES_PER_FRAME)} deltas per 16 ms frame, throttleMs ${THROTTLE_MS}, ${WARMUP} warm-up + ${ROUNDS} rounds, medians\n`,
  )
  const cases: CaseResult[] = []
  for (const encoding of ['json', 'msgpack'] as const) {
    for (const framing of ['single', 'batch'] as const) cases.push(await runCase(encoding, framing))
  }
  console.log(
    table(
      [
        'feed',
        'bare decode msg/s',
        'decode + validate msg/s',
        'whole path msg/s',
        'validate / bare time',
        'path / bare time',
        'goal',
      ],
      cases.map((c) => [
        `${c.encoding} ${c.framing}`,
        fmt(c.bareMsgsPerSec),
        fmt(c.validateMsgsPerSec),
        fmt(c.pathMsgsPerSec),
        ratio(c.validateRatio),
        ratio(c.ratio),
        c.encoding === 'json'
          ? `${c.pathMsgsPerSec >= 1e6 ? 'ok' : 'MISS'} >=1M/s, ${c.ratio <= 2 ? 'ok' : 'MISS'} <=2x`
          : `${c.ratio <= 2 ? 'ok' : 'MISS'} <=2x`,
      ]),
    ),
  )
  const last = cases[0]
  if (last) {
    console.log(
      `(per round: ${fmt(last.storeWrites)} store writes over ${fmt(last.frameFlushes)} frame flushes for ${fmt(last.deltas)} deltas)`,
    )
  }

  let perSymbol: Awaited<ReturnType<typeof heapPerSymbol>> | null = null
  let growth: Awaited<ReturnType<typeof heapGrowth>> | null = null
  if (!canMeasureHeap) {
    console.log('\nheap: skipped (run node with --expose-gc)')
  } else {
    perSymbol = await heapPerSymbol(HEAP_SYMBOLS)
    growth = await heapGrowth(SYMBOLS, quick ? [100_000, 300_000] : [100_000, 1_000_000])
    console.log(
      '\n' +
        table(
          ['heap', 'value', 'against'],
          [
            [
              `bytes per symbol, ${fmt(HEAP_SYMBOLS)} held`,
              fmt(perSymbol.kitBytesPerSymbol),
              `${ratio(perSymbol.kitBytesPerSymbol / perSymbol.bareMapBytesPerSymbol)} a bare Map of quote objects (${fmt(perSymbol.bareMapBytesPerSymbol)} B)`,
            ],
            [
              `one-symbol store write, ${fmt(HEAP_SYMBOLS)} held`,
              `${fmt(perSymbol.oneSymbolWriteMs, 2)} ms`,
              `${ratio(perSymbol.oneSymbolWriteMs / perSymbol.oneSymbolWriteMsAt1000)} the same with 1,000 held (${fmt(perSymbol.oneSymbolWriteMsAt1000, 3)} ms)`,
            ],
            ...growth.points.map(([messages, heap]): string[] => [
              `heap after ${fmt(messages)} msgs, ${fmt(SYMBOLS)} symbols`,
              `${fmt(heap / 2 ** 20, 2)} MiB`,
              messages === 0
                ? 'start'
                : `${fmt((heap - (growth?.points[0]?.[1] ?? heap)) / 1024, 0)} KiB vs start`,
            ]),
          ],
        ),
    )
  }
  const storeScaleResult = await runStoreScale()
  const path = writeResults('ingest', {
    machine,
    settings: {
      symbols: SYMBOLS,
      messages: MESSAGES,
      rounds: ROUNDS,
      warmup: WARMUP,
      batch: BATCH,
      messagesPerFrame: MESSAGES_PER_FRAME,
      throttleMs: THROTTLE_MS,
    },
    cases,
    heapPerSymbol: perSymbol,
    heapGrowth: growth,
    storeScale: storeScaleResult,
  })
  console.log(`\nraw results: ${path}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
