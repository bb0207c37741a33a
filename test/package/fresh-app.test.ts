/**
 * The whole user path: the packed tarball installed into a fresh Vite + React app outside the
 * repository (freshApp.ts), built with Vite, served on 127.0.0.1, fed by the tarball's own
 * `tickwire/server`, and opened in Chromium. A price and `Live` must appear on the main-thread
 * engine, and prices must stream on the worker and shared engines too, loaded from the worker
 * file the package ships under a Content-Security-Policy that refuses `blob:` workers. The app
 * is React 19, or React 18 with TICKWIRE_REACT_MAJOR=18 (scripts/react18.mjs).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, chromiumPath, serveStatic } from '../helpers/browser'
import { sharedFreshApp } from './sharedFreshApp'

/** The subset of `tickwire/server` this test uses, typed here: the import is by file URL. */
interface FeedServerModule {
  createFeedServer(options: {
    port: number
    host: string
    tickHz?: number
    updateShare?: number
  }): Promise<{
    url: string
    stats(): { connections: number }
    close(): Promise<void>
  }>
}

type Engine = 'main' | 'worker' | 'shared'

const app = sharedFreshApp()
const cleanups: (() => Promise<void> | void)[] = []
let feed: Awaited<ReturnType<FeedServerModule['createFeedServer']>>
let origin: string
let context: BrowserContext

beforeAll(async () => {
  const feedModule = (await import(
    pathToFileURL(join(app.dir, 'node_modules/tickwire/dist/server/index.js')).href
  )) as FeedServerModule
  feed = await feedModule.createFeedServer({
    port: 0,
    host: '127.0.0.1',
    tickHz: 10,
    updateShare: 1,
  })
  cleanups.push(() => feed.close())

  const web = await serveStatic(join(app.dir, 'dist'))
  origin = web.origin
  cleanups.push(() => web.close())

  // A persistent context: the one kind in which headless Chromium shares a SharedWorker.
  const profile = mkdtempSync(join(tmpdir(), 'tickwire-chromium-'))
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }))
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  })
  cleanups.push(() => context.close())
}, 60_000)

afterAll(async () => {
  // Last in, first out: the browser before the servers it talks to.
  for (const cleanup of cleanups.reverse()) await cleanup()
})

/**
 * Opens the app on `engine` and waits for `Live` and a price. Returns the page and the
 * console errors and page errors it has collected so far (and keeps collecting).
 */
async function openApp(engine: Engine): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  const query = `feed=${encodeURIComponent(feed.url)}${engine === 'main' ? '' : `&engine=${engine}`}`
  await page.goto(`${origin}/?${query}`)

  const status = page.locator('.tw-connection-status')
  await status.waitFor({ timeout: 15_000 })
  await page.waitForFunction(
    () => document.querySelector('.tw-connection-status')?.textContent?.includes('Live') === true,
    null,
    { timeout: 15_000 },
  )
  expect(await status.getAttribute('data-status')).toBe('live')
  // A number with digits: the BTC-USD price the feed server streams.
  await page.waitForFunction(
    () => /\d/.test(document.querySelector('.tw-price-flash')?.textContent ?? ''),
    null,
    { timeout: 15_000 },
  )
  const price = (await page.locator('.tw-price-flash').first().textContent()) ?? ''
  expect(Number(price.replace(/[^\d.]/g, ''))).toBeGreaterThan(0)
  return { page, errors }
}

/** The engine the devtools panel names (`inspect().engine()` through the package). */
const engineShown = (page: Page) =>
  page.$eval('.tw-devtools__engine', (node) => node.getAttribute('data-engine'))

/** Waits until the shown price changes `times` times: the feed streams, not only a snapshot. */
async function expectStreaming(page: Page, times = 2): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = await page.locator('.tw-price-flash').first().textContent()
    await page.waitForFunction(
      (shown) => document.querySelector('.tw-price-flash')?.textContent !== shown,
      before,
      { timeout: 15_000 },
    )
  }
}

describe('the packed tarball in a fresh Vite + React app', () => {
  it('renders a live price from the feed server in Chromium', async () => {
    const { page, errors } = await openApp('main')
    try {
      expect(await engineShown(page)).toBe('main')
      // The stylesheet from `tickwire/styles.css` made it into the build and styles the pill.
      const styled = await page.evaluate(() =>
        [...document.styleSheets].some((sheet) =>
          [...sheet.cssRules].some((rule) => rule.cssText.includes('.tw-connection-status')),
        ),
      )
      expect(styled).toBe(true)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
    // The React the app was built with (TICKWIRE_REACT_MAJOR=18 builds a React 18 app).
    const reactMajor = JSON.parse(
      await readFile(join(app.dir, 'node_modules/react/package.json'), 'utf8'),
    ) as { version: string }
    console.log(`[fresh-app] react ${reactMajor.version}`)
    expect(reactMajor.version.split('.')[0]).toBe(process.env['TICKWIRE_REACT_MAJOR'] ?? '19')
  }, 60_000)

  it("streams prices on engine: 'worker' from the shipped worker file, under worker-src 'self'", async () => {
    const { page, errors } = await openApp('worker')
    try {
      expect(await engineShown(page)).toBe('worker')
      await expectStreaming(page)
      // The socket is in the worker: a dedicated worker runs, loaded from the app's origin.
      const workers = page.workers().map((worker) => worker.url())
      expect(workers).toHaveLength(1)
      expect(workers[0]?.startsWith(`${origin}/`)).toBe(true)
      expect(errors).toEqual([])
      // The page's policy is in force: a `blob:` worker is refused.
      const refused = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            document.addEventListener(
              'securitypolicyviolation',
              (event) => resolve(event.effectiveDirective),
              { once: true },
            )
            try {
              new Worker(URL.createObjectURL(new Blob([''], { type: 'text/javascript' })))
            } catch (error) {
              resolve(`threw ${(error as Error).name}`)
            }
            setTimeout(() => resolve('allowed'), 3_000)
          }),
      )
      expect(['worker-src', 'threw SecurityError']).toContain(refused)
    } finally {
      await page.close()
    }
  }, 60_000)

  it("streams prices on engine: 'shared', one socket for two pages", async () => {
    // The earlier pages' sockets are closed (a worker's a moment after its page).
    await expect.poll(() => feed.stats().connections, { timeout: 10_000 }).toBe(0)
    const one = await openApp('shared')
    const two = await openApp('shared')
    try {
      for (const { page } of [one, two]) {
        expect(await engineShown(page)).toBe('shared')
        await expectStreaming(page)
      }
      // Both pages are served by the one SharedWorker's socket.
      expect(feed.stats().connections).toBe(1)
      expect([...one.errors, ...two.errors]).toEqual([])
    } finally {
      await one.page.close()
      await two.page.close()
    }
  }, 60_000)
})
