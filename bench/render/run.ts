/**
 * Part 2, rendering in a real browser. Run: `node --import tsx bench/render/run.ts` (or
 * `npm run bench -- --only=render`). Flags: `--quick` (one round, short windows),
 * `--rounds=N`, `--window=ms`, `--rates=1000,10000`, `--variants=tickwire,vanilla` (a subset),
 * `--throttle=ms` (every tickwire page's `throttleMs`; default 100, the library's default),
 * `--out=name` (raw results to bench/results/<name>.json; default `render`).
 *
 * The variants: the PriceFlash board with the default (step) flash and with the fade, the
 * `usePrice` board (tickwire's data path feeding the plain React cell of cells.tsx), both
 * boards again on `engine: 'worker'` and `engine: 'shared'` (engine-variants.ts), two React
 * boards without tickwire, and the hand-written page with each of the two flash styles.
 * Every (round, rate) runs them in an order rotated per round, each in a fresh browser context
 * against its own feed connection: load, wait for the first price, warm up, then measure a
 * window; then the feed pauses and the page drains what is on the way, so the messages its
 * socket read can be compared with the messages the server sent. Medians over rounds; ratios
 * against the hand-written page with the same flash. Goal rows: issue 12's (PriceFlash) and
 * issue 14's (engine-goals.ts).
 *
 * Issue 14's figures need two runs, one per throttle (the default throttle's run gives the busy-time,
 * latency and commit rows; the throttle-0 run the like-for-like rows at 50,000 msg/s):
 *   npm run bench -- --only=render --rounds=3
 *   npm run bench -- --only=render --throttle=0 --rates=50000 --variants=tickwire,tickwire-hooks,tickwire-worker,tickwire-worker-hooks,tickwire-shared,tickwire-shared-hooks,vanilla --out=render-throttle0
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core'
import { describeMachine, machineInfo } from '../lib/machine'
import {
  flags,
  fmt,
  median,
  percentile,
  ratio,
  RESULTS_DIR,
  table,
  writeResults,
} from '../lib/stats'
import { DEFAULTS } from '../../src/core/config'
import { startBlaster, type Blaster } from './blaster'
import { buildPages, SAME_FLASH_VANILLA, VARIANT_LABEL, VARIANTS, type Variant } from './build'
import { engineGoalRows } from './engine-goals'
import type { BenchResult } from './page/harness'

const args = flags()
const quick = args.has('quick')
const ROUNDS = Number(args.get('rounds') ?? (quick ? 1 : 3))
const WINDOW_MS = Number(args.get('window') ?? (quick ? 1500 : 2500))
const WARMUP_MS = quick ? 500 : 750
const VARIANTS_RUN: readonly Variant[] = args.has('variants')
  ? VARIANTS.filter((v) => (args.get('variants') ?? '').split(',').includes(v))
  : VARIANTS
const OUT = args.get('out') ?? 'render'
const RATES = (args.get('rates') ?? '1000,10000,50000').split(',').map(Number)
const SYMBOLS = 500
const THROTTLE_MS = Number(args.get('throttle') ?? DEFAULTS.throttleMs)
if (!Number.isFinite(THROTTLE_MS) || THROTTLE_MS < 0) {
  throw new Error(`--throttle wants a number of ms >= 0, got ${args.get('throttle') ?? ''}`)
}
/** How long the page may take, after the window, to read what the paused feed had sent. */
const DRAIN_MS = 2000
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

interface Run {
  variant: Variant
  rate: number
  round: number
  fps: number
  longTaskCount: number
  longTaskTotalMs: number
  longTaskMaxMs: number
  commitsPerSec: number
  commitsPerFrame: number
  commitsPerFrameMax: number
  framesWithSeveralCommits: number
  deltasPerSec: number
  framesPerSec: number
  appliedFrameShare: number | null
  latencyP50: number
  latencyP95: number
  latencyP99: number
  latencySamples: number
  /** Main-thread CPU time per second of the window (CDP ThreadTime): robust to a shared machine. */
  busyShare: number
  /** Main-thread task time per second (CDP TaskDuration): wall time, inflated when CPUs are contended. */
  taskShare: number
  /** The renderer process's CPU time per second, every thread (CDP ProcessTime). */
  processShare: number
  /** Style recalculation and layout time per second (CDP RecalcStyleDuration, LayoutDuration). */
  styleLayoutShare: number
  heapMiB: number
  /** Deltas the server had sent when the page finished draining after the window. */
  messagesSent: number
  /** Deltas in the frames the page's socket had read by then (equal when none is left unread). */
  messagesRead: number
  /** Deltas sent but not yet read at the end of the window: how far behind the page was. */
  backlogAtStop: number
  pageErrors: string[]
}

/** $CHROMIUM_PATH, else Debian's Chromium; a clear message when neither is there. */
function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(path)) {
    throw new Error(
      `no Chromium at ${path}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`,
    )
  }
  return path
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[]
  }
  return Object.fromEntries(list.map((m) => [m.name, m.value]))
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Pauses the feed to the page and waits (at most DRAIN_MS) until its socket has read every frame
 * sent; returns the frames read by then.
 */
async function drain(page: Page, blaster: Blaster, id: string): Promise<number> {
  blaster.pause(id)
  const deadline = Date.now() + DRAIN_MS
  for (;;) {
    const read = await page.evaluate(() => window.__bench.framesIn())
    if (read >= blaster.framesSent(id) || Date.now() >= deadline) return read
    await sleep(50)
  }
}

async function runOne(
  browser: Browser,
  blaster: Blaster,
  variant: Variant,
  rate: number,
  round: number,
): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const id = `${variant}-${rate}-${round}-${Date.now()}`
    const query = new URLSearchParams({
      ws: blaster.wsUrl,
      rate: String(rate),
      id,
      symbols: String(SYMBOLS),
      throttle: String(THROTTLE_MS),
    })
    await page.goto(`${blaster.url}/${variant}.html?${query.toString()}`)
    await page.waitForFunction(() => window.__bench.ready(), null, { timeout: 30_000 })
    await sleep(WARMUP_MS)
    const before = await metrics(cdp)
    await page.evaluate(() => window.__bench.start())
    await sleep(WINDOW_MS)
    const result: BenchResult = await page.evaluate(() => window.__bench.stop())
    const after = await metrics(cdp)
    const backlogAtStop = blaster.sent(id) - blaster.deltasInFrames(id, result.framesInEnd)
    const framesRead = await drain(page, blaster, id)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await metrics(cdp)).JSHeapUsedSize ?? Number.NaN
    const seconds = result.windowMs / 1000
    const deltas =
      blaster.deltasInFrames(id, result.framesInEnd) -
      blaster.deltasInFrames(id, result.framesInStart)
    const frames = result.framesInEnd - result.framesInStart
    const wall = (after.Timestamp ?? 0) - (before.Timestamp ?? 0)
    return {
      variant,
      rate,
      round,
      fps: result.frames / seconds,
      longTaskCount: result.longTasks.length,
      longTaskTotalMs: result.longTasks.reduce((a, b) => a + b, 0),
      longTaskMaxMs: Math.max(0, ...result.longTasks),
      commitsPerSec: result.commits / seconds,
      commitsPerFrame: result.frames > 0 ? result.commits / result.frames : Number.NaN,
      commitsPerFrameMax: result.commitsPerFrameMax,
      framesWithSeveralCommits: result.framesWithSeveralCommits,
      deltasPerSec: deltas / seconds,
      framesPerSec: frames / seconds,
      appliedFrameShare: variant === 'rws' && frames > 0 ? result.appliedFrames / frames : null,
      latencyP50: percentile(result.latencies, 50),
      latencyP95: percentile(result.latencies, 95),
      latencyP99: percentile(result.latencies, 99),
      latencySamples: result.latencies.length,
      busyShare:
        wall > 0 ? ((after.ThreadTime ?? 0) - (before.ThreadTime ?? 0)) / wall : Number.NaN,
      taskShare:
        wall > 0 ? ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) / wall : Number.NaN,
      processShare:
        wall > 0 ? ((after.ProcessTime ?? 0) - (before.ProcessTime ?? 0)) / wall : Number.NaN,
      styleLayoutShare:
        wall > 0
          ? ((after.RecalcStyleDuration ?? 0) -
              (before.RecalcStyleDuration ?? 0) +
              (after.LayoutDuration ?? 0) -
              (before.LayoutDuration ?? 0)) /
            wall
          : Number.NaN,
      heapMiB: heap / 2 ** 20,
      messagesSent: blaster.sent(id),
      messagesRead: blaster.deltasInFrames(id, framesRead),
      backlogAtStop,
      pageErrors,
    }
  } finally {
    await context.close()
  }
}

type Summary = Omit<Run, 'round' | 'appliedFrameShare' | 'pageErrors'> & {
  appliedFrameShare: number | null
  rounds: number
  pageErrors: number
}

/** Medians over rounds, except the worst cases (longest task, most commits in a frame): maxima. */
function summarise(runs: Run[]): Summary | null {
  const first = runs[0]
  if (!first) return null
  const med = (key: keyof Run): number => median(runs.map((r) => r[key] as number))
  const sum = (key: 'messagesSent' | 'messagesRead'): number => runs.reduce((n, r) => n + r[key], 0)
  return {
    variant: first.variant,
    rate: first.rate,
    rounds: runs.length,
    fps: med('fps'),
    longTaskCount: med('longTaskCount'),
    longTaskTotalMs: med('longTaskTotalMs'),
    longTaskMaxMs: Math.max(...runs.map((r) => r.longTaskMaxMs)),
    commitsPerSec: med('commitsPerSec'),
    commitsPerFrame: med('commitsPerFrame'),
    commitsPerFrameMax: Math.max(...runs.map((r) => r.commitsPerFrameMax)),
    framesWithSeveralCommits: med('framesWithSeveralCommits'),
    deltasPerSec: med('deltasPerSec'),
    framesPerSec: med('framesPerSec'),
    appliedFrameShare:
      first.appliedFrameShare === null ? null : median(runs.map((r) => r.appliedFrameShare ?? 0)),
    latencyP50: med('latencyP50'),
    latencyP95: med('latencyP95'),
    latencyP99: med('latencyP99'),
    latencySamples: med('latencySamples'),
    busyShare: med('busyShare'),
    taskShare: med('taskShare'),
    processShare: med('processShare'),
    styleLayoutShare: med('styleLayoutShare'),
    heapMiB: med('heapMiB'),
    messagesSent: sum('messagesSent'),
    messagesRead: sum('messagesRead'),
    backlogAtStop: med('backlogAtStop'),
    pageErrors: runs.reduce((n, r) => n + r.pageErrors.length, 0),
  }
}

async function main(): Promise<void> {
  const machine = machineInfo()
  console.log(
    `\n## 2. Rendering in Chromium (${SYMBOLS} cells, throttleMs ${THROTTLE_MS})\n${describeMachine(machine)}`,
  )
  // Before any server starts, so a missing browser fails fast and leaves nothing running.
  const executablePath = chromiumPath()
  const outDir = join(RESULTS_DIR, 'pages')
  const t0 = Date.now()
  await buildPages(outDir)
  console.log(
    `pages built in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${ROUNDS} round(s) x ${RATES.length} rates x ${VARIANTS_RUN.length} variants, warm-up ${WARMUP_MS} ms + window ${WINDOW_MS} ms each`,
  )

  const blaster = await startBlaster(outDir)
  const userDataDir = mkdtempSync(join(tmpdir(), 'tickwire-bench-chromium-'))
  // launch() runs on a fresh temporary profile of its own; the flag below only keeps
  // Chromium's crash and cache files in a directory we remove afterwards.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, `--disk-cache-dir=${userDataDir}`],
  })
  const version = browser.version()
  const runs: Run[] = []
  const failures: { variant: Variant; rate: number; round: number; error: string }[] = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const rate of RATES) {
        // Rotate the order every round so no variant always runs first (a cold machine) or last.
        const order = VARIANTS_RUN.map(
          (_, i) => VARIANTS_RUN[(i + round) % VARIANTS_RUN.length] as Variant,
        )
        for (const variant of order) {
          try {
            const run = await runOne(browser, blaster, variant, rate, round)
            runs.push(run)
            process.stdout.write(
              `  round ${round + 1} ${fmt(rate)} msg/s ${VARIANT_LABEL[variant]}: main thread ${fmt(run.busyShare * 1000)} ms/s, p99 ${fmt(run.latencyP99)} ms${run.pageErrors.length ? `, ${run.pageErrors.length} page errors` : ''}\n`,
            )
          } catch (error) {
            // One variant failing to load under load must not lose the others' figures.
            const message =
              error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)
            failures.push({ variant, rate, round, error: message })
            process.stdout.write(
              `  round ${round + 1} ${fmt(rate)} msg/s ${VARIANT_LABEL[variant]}: FAILED ${message}\n`,
            )
          }
        }
      }
    }
  } finally {
    await browser.close()
    await blaster.close()
    rmSync(userDataDir, { recursive: true, force: true })
  }

  const summaries: Summary[] = []
  for (const rate of RATES) {
    for (const variant of VARIANTS_RUN) {
      const summary = summarise(runs.filter((r) => r.rate === rate && r.variant === variant))
      if (summary) summaries.push(summary)
    }
  }
  const find = (rate: number, variant: Variant): Summary | undefined =>
    summaries.find((s) => s.rate === rate && s.variant === variant)
  /** The hand-written page with the same flash style, at the same rate. */
  const vanillaOf = (s: Summary): Summary | undefined => find(s.rate, SAME_FLASH_VANILLA[s.variant])
  // Main-thread CPU per 1,000 messages received: equal to the CPU-per-second ratio when both
  // variants keep up with the feed, and still fair when a starved page falls behind it.
  const cpuPerK = (s: Summary): number => (s.busyShare * 1000) / (s.deltasPerSec / 1000)

  console.log(
    `\nChromium ${version}; medians of ${ROUNDS} round(s); ratios against vanilla at the same rate; throttleMs ${THROTTLE_MS}.\n` +
      'CPU columns are CPU time per second of wall time (CDP ThreadTime / ProcessTime), so a machine shared with\n' +
      'other work does not inflate them the way wall-clock task time would.\n',
  )
  console.log(
    table(
      [
        'rate',
        'variant',
        'msgs recv/s',
        'fps',
        'fps vs vanilla',
        'commits/s',
        'commits/frame (max)',
        'long tasks n (total ms, max)',
        'latency p50/p95/p99 ms',
        'main thread CPU ms/s',
        'CPU ms per 1k msgs',
        'vs vanilla',
        'renderer CPU ms/s',
        'heap MiB',
        'vs vanilla',
        'unread at window end',
      ],
      summaries.map((s) => {
        const v = vanillaOf(s)
        const react = !s.variant.startsWith('vanilla')
        return [
          fmt(s.rate),
          VARIANT_LABEL[s.variant] +
            (s.appliedFrameShare !== null
              ? ` (${fmt(s.appliedFrameShare * 100)}% frames applied)`
              : '') +
            (s.pageErrors > 0 ? ` [${s.pageErrors} page errors]` : ''),
          fmt(s.deltasPerSec),
          fmt(s.fps, 1),
          ratio(v ? s.fps / v.fps : undefined),
          react ? fmt(s.commitsPerSec) : '-',
          react ? `${fmt(s.commitsPerFrame, 2)} (${fmt(s.commitsPerFrameMax)})` : '-',
          `${fmt(s.longTaskCount)} (${fmt(s.longTaskTotalMs)}, ${fmt(s.longTaskMaxMs)})`,
          `${fmt(s.latencyP50)}/${fmt(s.latencyP95)}/${fmt(s.latencyP99)}`,
          fmt(s.busyShare * 1000),
          fmt(cpuPerK(s), 1),
          ratio(v ? cpuPerK(s) / cpuPerK(v) : undefined),
          fmt(s.processShare * 1000),
          fmt(s.heapMiB, 1),
          ratio(v ? s.heapMiB / v.heapMiB : undefined),
          fmt(s.backlogAtStop),
        ]
      }),
    ),
  )

  const goals = [
    ...goalRows(find, cpuPerK),
    ...engineGoalRows({
      rates: RATES,
      throttleMs: THROTTLE_MS,
      defaultThrottleMs: DEFAULTS.throttleMs,
      windowMs: WINDOW_MS,
      label: (variant) => VARIANT_LABEL[variant],
      find,
    }),
  ]
  console.log(
    `\ntickwire against the goals (throttleMs ${THROTTLE_MS})\n\n` +
      table(['variant, rate', 'goal', 'measured', ''], goals),
  )
  if (failures.length > 0) {
    console.log(`\n${failures.length} run(s) failed:`)
    for (const f of failures)
      console.log(
        `  round ${f.round + 1} ${fmt(f.rate)} msg/s ${VARIANT_LABEL[f.variant]}: ${f.error}`,
      )
  }
  const path = writeResults(OUT, {
    machine,
    chromium: version,
    settings: {
      rounds: ROUNDS,
      windowMs: WINDOW_MS,
      warmupMs: WARMUP_MS,
      rates: RATES,
      symbols: SYMBOLS,
      throttleMs: THROTTLE_MS,
    },
    summaries,
    runs,
    failures,
  })
  console.log(`\nraw results: ${path}`)
}

/** Issue 12's goals for the PriceFlash board, plus the data-path goals kept from before. */
function goalRows(
  find: (rate: number, variant: Variant) => Summary | undefined,
  cpuPerK: (s: Summary) => number,
): string[][] {
  const goals: string[][] = []
  const frameMs = 1000 / 60
  const row = (who: string, goal: string, measured: string, ok: boolean | null): void => {
    goals.push([who, goal, measured, ok === null ? 'n/a' : ok ? 'ok' : 'MISS'])
  }
  for (const rate of RATES) {
    const at = `${fmt(rate)} msg/s`
    const step = find(rate, 'tickwire')
    const fade = find(rate, 'tickwire-fade')
    const hooks = find(rate, 'tickwire-hooks')
    const vanilla = find(rate, 'vanilla')
    const vanillaFade = find(rate, 'vanilla-fade')
    if (step && vanilla) {
      const r = step.fps / vanilla.fps
      row(`${VARIANT_LABEL.tickwire}, ${at}`, 'fps >= 0.9x vanilla (step)', ratio(r), r >= 0.9)
    }
    if (step && hooks) {
      const r = step.busyShare / hooks.busyShare
      row(
        `${VARIANT_LABEL.tickwire}, ${at}`,
        'main-thread CPU <= 1.15x the usePrice board',
        `${ratio(r)} (${fmt(step.busyShare * 1000)} vs ${fmt(hooks.busyShare * 1000)} ms/s)`,
        r <= 1.15,
      )
    }
    for (const t of [step, fade]) {
      if (!t) continue
      // With a handful of frames in the window (a frozen page) "at most one commit per frame"
      // says nothing, unless there was no commit at all: ticks of connected PriceFlash cells
      // bypass React, so 0 is what the board should show at any frame rate.
      const enoughFrames = t.fps * (WINDOW_MS / 1000) >= 10 || t.commitsPerSec === 0
      row(
        `${VARIANT_LABEL[t.variant]}, ${at}`,
        'React commits per animation frame <= 1 (max in any frame)',
        `${fmt(t.commitsPerFrameMax)} (${fmt(t.commitsPerSec)} commits/s, ${fmt(t.fps, 1)} fps)`,
        enoughFrames ? t.commitsPerFrameMax <= 1 : null,
      )
    }
    if (fade && vanillaFade) {
      // Reported, not a goal: what the fade costs against the same fade written by hand.
      row(
        `${VARIANT_LABEL['tickwire-fade']}, ${at}`,
        'fps vs vanilla (fade) (reported)',
        ratio(fade.fps / vanillaFade.fps),
        null,
      )
    }
    if (step) {
      row(
        `${VARIANT_LABEL.tickwire}, ${at}`,
        `p99 latency <= throttleMs + 2 frames (${fmt(THROTTLE_MS + 2 * frameMs)} ms)`,
        `${fmt(step.latencyP99)} ms`,
        step.latencyP99 <= THROTTLE_MS + 2 * frameMs,
      )
    }
    if (step && vanilla && rate === 10_000) {
      const r = cpuPerK(step) / cpuPerK(vanilla)
      row(
        `${VARIANT_LABEL.tickwire}, ${at}`,
        'main-thread CPU per message <= 1.3x vanilla',
        ratio(r),
        r <= 1.3,
      )
      row(
        `${VARIANT_LABEL.tickwire}, ${at}`,
        'no long task > 50 ms (worst of all rounds)',
        `${fmt(step.longTaskMaxMs)} ms`,
        step.longTaskMaxMs <= 50,
      )
    }
  }
  return goals
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
