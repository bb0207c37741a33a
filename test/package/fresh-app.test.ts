/**
 * The whole user path: the packed tarball installed into a fresh Vite + React app outside the
 * repository (freshApp.ts), built with Vite, served on 127.0.0.1, fed by the tarball's own
 * `tickwire/server`, and opened in Chromium. A price and `Live` must appear.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, chromiumPath, serveStatic } from '../helpers/browser'
import { sharedFreshApp } from './sharedFreshApp'

/** The subset of `tickwire/server` this test uses, typed here: the import is by file URL. */
interface FeedServerModule {
  createFeedServer(options: { port: number; host: string; tickHz?: number }): Promise<{
    url: string
    close(): Promise<void>
  }>
}

const app = sharedFreshApp()
const cleanups: (() => Promise<void> | void)[] = []

afterAll(async () => {
  // Last in, first out: the browser before the servers it talks to.
  for (const cleanup of cleanups.reverse()) await cleanup()
})

describe('the packed tarball in a fresh Vite + React app', () => {
  it('renders a live price from the feed server in Chromium', async () => {
    const feedModule = (await import(
      pathToFileURL(join(app.dir, 'node_modules/tickwire/dist/server/index.js')).href
    )) as FeedServerModule
    const feed = await feedModule.createFeedServer({ port: 0, host: '127.0.0.1', tickHz: 10 })
    cleanups.push(() => feed.close())

    const web = await serveStatic(join(app.dir, 'dist'))
    cleanups.push(() => web.close())

    const profile = mkdtempSync(join(tmpdir(), 'tickwire-chromium-'))
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }))
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
      headless: true,
    })
    cleanups.push(() => context.close())

    const page = context.pages()[0] ?? (await context.newPage())
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
    await page.goto(`${web.origin}/?feed=${encodeURIComponent(feed.url)}`)

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
    // The stylesheet from `tickwire/styles.css` made it into the build and styles the pill.
    const styled = await page.evaluate(() =>
      [...document.styleSheets].some((sheet) =>
        [...sheet.cssRules].some((rule) => rule.cssText.includes('.tw-connection-status')),
      ),
    )
    expect(styled).toBe(true)
    expect(pageErrors).toEqual([])
    // The React the app was built with (TICKWIRE_REACT_MAJOR=18 builds a React 18 app).
    const reactMajor = JSON.parse(
      await readFile(join(app.dir, 'node_modules/react/package.json'), 'utf8'),
    ) as { version: string }
    console.log(`[fresh-app] react ${reactMajor.version}`)
    expect(reactMajor.version.split('.')[0]).toBe(process.env['TICKWIRE_REACT_MAJOR'] ?? '19')
  }, 60_000)
})
