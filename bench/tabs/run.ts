/**
 * N tabs of the shared engine. Run: `npm run bench -- --only=tabs` (or `node --import tsx
 * bench/tabs/run.ts`). Opens 1, 2, 3 and 4 pages (bench/tabs/page) of one persistent Chromium
 * context, the kind whose pages share one SharedWorker, against the reference feed server
 * (src/server) at 10,000 msg/s (500 symbols, 20 ticks a second, every symbol moving at each
 * tick). After each page is added it reports the sockets the server counts and each page's
 * main-thread time per second (CDP Performance metrics: ThreadTime, the main thread's CPU
 * time, robust on a shared machine; TaskDuration, its wall time in tasks). The main-thread
 * engine runs the same steps for comparison (one socket per tab, all work in each tab).
 *
 * Flags: --engines=shared,main  --tabs=4  --quick (shorter windows: a smoke test, not figures)
 */
import react from '@vitejs/plugin-react'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type CDPSession, type Page } from 'playwright-core'
import { build } from 'vite'
import { createFeedServer } from '../../src/server/index'
import { CHROMIUM_ARGS, chromiumPath, serveStatic } from '../../test/helpers/browser'
import { describeMachine, machineInfo } from '../lib/machine'
import { flags, fmt, ratio, table, writeResults } from '../lib/stats'
import type {} from './page/main'

const args = flags()
const quick = args.has('quick')
const engines = (args.get('engines') ?? 'shared,main').split(',') as ('shared' | 'main')[]
const maxTabs = Number(args.get('tabs') ?? 4)
const SYMBOLS = Array.from({ length: 500 }, (_, i) => `SYM${String(i).padStart(3, '0')}`)
const TICK_HZ = 20
const RATE = SYMBOLS.length * TICK_HZ
const WARM_MS = quick ? 1_000 : 3_000
const WINDOW_MS = quick ? 2_000 : 6_000
const ALL_PAGES_ACTIVE = [
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
]
const here = dirname(fileURLToPath(import.meta.url))

/** One page's figures over a window. */
interface PageFigures {
  /** Main-thread CPU ms per second (CDP ThreadTime). */
  busyMsPerS: number
  /** Main-thread task ms per second (CDP TaskDuration). */
  taskMsPerS: number
  /** Store writes per second. */
  writesPerS: number
}

/** The figures after the `tabs`-th page was added. */
interface Step {
  tabs: number
  /** WebSocket connections the feed server counts. */
  sockets: number
  pages: PageFigures[]
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[]
  }
  return Object.fromEntries(list.map((m) => [m.name, m.value]))
}

async function writes(page: Page): Promise<number> {
  return page.evaluate(() => window.__tabs.writes)
}

/** Measures every open page over one window. */
async function measure(tabs: { page: Page; cdp: CDPSession }[]): Promise<PageFigures[]> {
  const before = await Promise.all(
    tabs.map(async (t) => ({ m: await metrics(t.cdp), w: await writes(t.page) })),
  )
  const started = performance.now()
  await sleep(WINDOW_MS)
  const after = await Promise.all(
    tabs.map(async (t) => ({ m: await metrics(t.cdp), w: await writes(t.page) })),
  )
  const seconds = (performance.now() - started) / 1000
  return tabs.map((_, i) => {
    const a = after[i]
    const b = before[i]
    if (!a || !b) throw new Error('missing metrics')
    const delta = (name: string) => ((a.m[name] ?? 0) - (b.m[name] ?? 0)) * 1000
    return {
      busyMsPerS: delta('ThreadTime') / seconds,
      taskMsPerS: delta('TaskDuration') / seconds,
      writesPerS: (a.w - b.w) / seconds,
    }
  })
}

async function runEngine(engine: 'shared' | 'main', origin: string): Promise<Step[]> {
  const server = await createFeedServer({
    port: 0,
    tickHz: TICK_HZ,
    updateShare: 1,
    symbols: SYMBOLS,
    // The pages subscribe 500 symbols in one go; the bench is not about the rate limit.
    rateLimit: false,
  })
  const profile = mkdtempSync(join(tmpdir(), 'tickwire-bench-tabs-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    // Every page must paint at full rate as a visible tab in its own window would: without
    // these, Chromium throttles the animation frames of all but the newest page.
    args: [...CHROMIUM_ARGS, ...ALL_PAGES_ACTIVE],
    headless: true,
  })
  const steps: Step[] = []
  try {
    const tabs: { page: Page; cdp: CDPSession }[] = []
    for (let n = 1; n <= maxTabs; n++) {
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
      const query = new URLSearchParams({
        feed: server.url,
        engine,
        name: `bench-${engine}`,
        symbols: SYMBOLS.join(','),
      })
      await page.goto(`${origin}/index.html?${query.toString()}`)
      await page.waitForFunction(() => window.__tabs?.ready(), null, { timeout: 30_000 })
      tabs.push({ page, cdp })
      await sleep(WARM_MS)
      const pages = await measure(tabs)
      steps.push({ tabs: n, sockets: server.stats().connections, pages })
      console.log(
        `${engine}: ${n} tab(s), ${server.stats().connections} socket(s), busy ms/s per tab: ${pages
          .map((p) => fmt(p.busyMsPerS, 1))
          .join(', ')}`,
      )
    }
  } finally {
    await context.close()
    await server.close()
    rmSync(profile, { recursive: true, force: true })
  }
  return steps
}

function report(engine: string, steps: Step[]): string {
  const first = steps[0]?.pages[0]?.busyMsPerS ?? Number.NaN
  const rows = steps.map((step) => {
    const added = step.pages.at(-1)?.busyMsPerS ?? Number.NaN
    const total = step.pages.reduce((sum, p) => sum + p.busyMsPerS, 0)
    return [
      String(step.tabs),
      String(step.sockets),
      step.pages.map((p) => fmt(p.busyMsPerS, 1)).join(' / '),
      fmt(total, 1),
      step.tabs === 1 ? '1.00x' : ratio(added / first),
      step.pages.map((p) => fmt(p.writesPerS, 0)).join(' / '),
    ]
  })
  return [
    `engine: '${engine}'`,
    table(
      [
        'tabs',
        'sockets',
        'main-thread ms/s per tab (CPU)',
        'all tabs',
        'added tab / first tab alone',
        'store writes/s per tab',
      ],
      rows,
    ),
  ].join('\n')
}

const outDir = mkdtempSync(join(tmpdir(), 'tickwire-bench-tabs-page-'))
await build({
  configFile: false,
  root: join(here, 'page'),
  base: './',
  logLevel: 'warn',
  mode: 'production',
  plugins: [react()],
  build: { outDir, emptyOutDir: true, reportCompressedSize: false },
})
const web = await serveStatic(outDir)
const machine = machineInfo()
console.log(`N tabs at ${fmt(RATE)} msg/s; ${describeMachine(machine)}`)
const results: Record<string, Step[]> = {}
try {
  for (const engine of engines) results[engine] = await runEngine(engine, web.origin)
} finally {
  await web.close()
  rmSync(outDir, { recursive: true, force: true })
}
for (const [engine, steps] of Object.entries(results)) console.log('\n' + report(engine, steps))
const path = writeResults(quick ? 'tabs-quick' : 'tabs', {
  machine,
  rate: RATE,
  symbols: SYMBOLS.length,
  tickHz: TICK_HZ,
  warmMs: WARM_MS,
  windowMs: WINDOW_MS,
  engines: results,
})
console.log(`\nraw results: ${path}`)
