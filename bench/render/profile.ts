/**
 * Where a bench page spends its main thread: builds the pages unminified, opens one variant
 * at one rate, records a CPU profile for a few seconds and prints the functions with the
 * most self time. Not part of `npm run bench`; for finding the cause behind a figure.
 *
 *   node --import tsx bench/render/profile.ts tickwire 10000 [seconds]
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { RESULTS_DIR } from '../lib/stats'
import { startBlaster } from './blaster'
import { buildPages, VARIANTS, type Variant } from './build'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const variant = (process.argv[2] ?? 'tickwire') as Variant
const rate = Number(process.argv[3] ?? 10_000)
const seconds = Number(process.argv[4] ?? 3)
if (!VARIANTS.includes(variant)) throw new Error(`variant must be one of ${VARIANTS.join(', ')}`)

process.env.BENCH_NO_MINIFY = '1'
const outDir = join(RESULTS_DIR, 'pages-profile')
await buildPages(outDir)
const blaster = await startBlaster(outDir)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
})
try {
  const page = await browser.newPage()
  const cdp = await page.context().newCDPSession(page)
  const query = new URLSearchParams({ ws: blaster.wsUrl, rate: String(rate), id: 'profile' })
  await page.goto(`${blaster.url}/${variant}.html?${query.toString()}`)
  await page.waitForFunction(() => window.__bench.ready(), null, { timeout: 30_000 })
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.start')
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }
  const file = join(RESULTS_DIR, `profile-${variant}-${rate}.cpuprofile`)
  writeFileSync(file, JSON.stringify(profile))

  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame
    const dt = profile.timeDeltas[i] ?? 0
    total += dt
    if (!frame) return
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  console.log(`${variant} at ${rate} msg/s, ${seconds} s profiled; self time:`)
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(
      `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`,
    )
  }
  console.log(`profile: ${file} (open in Chrome DevTools, Performance panel)`)
} finally {
  await browser.close()
  await blaster.close()
}
