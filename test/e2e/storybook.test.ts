/**
 * The built Storybook in Debian's Chromium: every story renders without a console error and
 * passes axe-core, and the live market board really moves. Run `npm run build-storybook`
 * first; this test serves `storybook-static` itself on 127.0.0.1, port 0.
 */
import AxeBuilder from '@axe-core/playwright'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server/index'
import { CHROMIUM_ARGS, chromiumPath, serveStatic, type StaticServer } from '../helpers/browser'

const STATIC_DIR = resolve('storybook-static')
const LIVE_SERVER_STORY = 'scenarios-live-server--local-feed-server'
const WORKER_ENGINE_STORY = 'scenarios-worker-engine--worker-engine'
const SHARED_ENGINE_STORY = 'scenarios-worker-engine--shared-engine'
/** Stories on the reference feed server: without a `feed` parameter they probe its default address. */
const LIVE_FEED_STORIES = [LIVE_SERVER_STORY, WORKER_ENGINE_STORY, SHARED_ENGINE_STORY]
const MARKET_BOARD_STORY = 'scenarios-market-board--hundred-symbols'
// The live-server story's default feed address (stories/LiveServer.stories.tsx).
const FEED_ORIGIN = 'http://127.0.0.1:8080'

/**
 * Rules about a whole page (one main landmark, one h1, all content in landmarks). A story is
 * a fragment that an app places in its own page, so these do not apply to it; Storybook's
 * a11y addon leaves `region` out for the same reason. Every other rule runs.
 */
const PAGE_LEVEL_RULES = ['region', 'landmark-one-main', 'page-has-heading-one']

interface IndexEntry {
  id: string
  type: 'story' | 'docs'
  title: string
  name: string
}

function readStories(): IndexEntry[] {
  const index = join(STATIC_DIR, 'index.json')
  if (!existsSync(index))
    throw new Error('storybook-static/index.json is missing: run `npm run build-storybook` first')
  const entries = (
    JSON.parse(readFileSync(index, 'utf8')) as { entries: Record<string, IndexEntry> }
  ).entries
  return Object.values(entries).filter((entry) => entry.type === 'story')
}

const stories = readStories()

let server: StaticServer | undefined
let baseUrl: string
let browser: Browser

beforeAll(async () => {
  server = await serveStatic(STATIC_DIR)
  baseUrl = server.origin
  // `launch` starts Chromium on a fresh temporary profile of its own and deletes it on close,
  // so nothing from an earlier run (cache, storage) can mask a failure. (Playwright refuses a
  // `--user-data-dir` argument here; it belongs to persistent contexts, which axe cannot use.)
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/**
 * The browser's own network line for a live-feed story's health probe when no feed server
 * runs. The story makes exactly one such request and handles the refusal; Chromium logs every
 * refused request as a console error whatever the page does, so this one line is expected.
 */
function isExpectedProbeFailure(storyId: string, message: ConsoleMessage): boolean {
  return (
    LIVE_FEED_STORIES.includes(storyId) &&
    message.location().url.startsWith(`${FEED_ORIGIN}/health`) &&
    message.text().includes('net::ERR_CONNECTION_REFUSED')
  )
}

/**
 * Opens a story in its own context and page (or a new page of `context`), collecting console
 * errors and page errors; `feed` is the feed server's URL for the live-feed stories.
 */
async function openStory(
  storyId: string,
  options: { feed?: string; context?: BrowserContext } = {},
): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  // @axe-core/playwright needs a page from an explicit context.
  const context = options.context ?? (await browser.newContext())
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedProbeFailure(storyId, message)) {
      errors.push(`console.error: ${message.text()} (${message.location().url})`)
    }
  })
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
  const feed = options.feed === undefined ? '' : `&feed=${encodeURIComponent(options.feed)}`
  await page.goto(`${baseUrl}/iframe.html?id=${encodeURIComponent(storyId)}&viewMode=story${feed}`)
  // Storybook marks the body when a story threw; otherwise the root gets the story's markup.
  await page.waitForFunction(
    () =>
      document.body.classList.contains('sb-show-errordisplay') ||
      (document.querySelector('#storybook-root')?.childElementCount ?? 0) > 0,
  )
  return { page, errors, close: () => (options.context ? page.close() : context.close()) }
}

describe('built Storybook', () => {
  it('has stories to check', () => {
    expect(stories.length).toBeGreaterThan(10)
  })

  it.each(stories.map((s) => [`${s.title} / ${s.name}`, s.id] as const))(
    '%s renders without console errors and passes axe',
    async (_label, id) => {
      const { page, errors, close } = await openStory(id)
      try {
        expect(
          await page.evaluate(() => document.body.classList.contains('sb-show-errordisplay')),
        ).toBe(false)
        // Let effects, play functions and the first simulated frames run before judging.
        await page.waitForTimeout(600)
        const results = await new AxeBuilder({ page }).disableRules(PAGE_LEVEL_RULES).analyze()
        const violations = results.violations.map(
          (v) =>
            `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
        )
        expect(violations).toEqual([])
        expect(errors).toEqual([])
      } finally {
        await close()
      }
    },
  )

  it("the simulated feed's controls lead the status through Reconnecting, Polling, Offline and back to Live", async () => {
    const { page, errors, close } = await openStory(
      'components-connectionstatus--with-simulated-feed',
    )
    try {
      const status = page.locator('.tw-connection-status')
      const expectStatus = (value: string, timeout = 15_000) =>
        page.waitForFunction(
          (v) => document.querySelector('.tw-connection-status')?.getAttribute('data-status') === v,
          value,
          {
            timeout,
          },
        )
      const press = (name: RegExp) => page.getByRole('button', { name }).click()
      await expectStatus('live')
      await press(/^Drop connection$/)
      await expectStatus('reconnecting')
      // Refused attempts: after three failures in a row the manager polls REST.
      await press(/^Refuse reconnects/)
      await expectStatus('polling', 30_000)
      await press(/^Offline/)
      await expectStatus('offline')
      expect(await status.textContent()).toContain('Offline')
      await press(/^Offline/)
      await press(/^Refuse reconnects/)
      await expectStatus('live', 30_000)
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  it('the live market board updates prices', async () => {
    const { page, errors, close } = await openStory(MARKET_BOARD_STORY)
    try {
      const read = () =>
        page.$$eval('[data-testid="market-board"] .tw-price-flash__value', (nodes) =>
          nodes.map((n) => n.textContent ?? ''),
        )
      // Wait for the snapshots: 100 prices, none a placeholder.
      await page.waitForFunction(() => {
        const values = [
          ...document.querySelectorAll('[data-testid="market-board"] .tw-price-flash__value'),
        ]
        return values.length === 100 && values.every((n) => n.textContent !== '—')
      })
      const first = await read()
      // Then wait until several of them changed, and see flashes on the way.
      await page.waitForFunction((before) => {
        const now = [
          ...document.querySelectorAll('[data-testid="market-board"] .tw-price-flash__value'),
        ]
        return now.filter((n, i) => n.textContent !== before[i]).length >= 5
      }, first)
      const directions = await page.$$eval(
        '[data-testid="market-board"] .tw-price-flash',
        (nodes) => nodes.map((n) => n.getAttribute('data-direction')),
      )
      expect(directions.every((d) => d === 'up' || d === 'down' || d === 'none')).toBe(true)
      expect(await page.locator('.tw-connection-status').getAttribute('data-status')).toBe('live')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  describe('the market board on the worker engines, against the reference feed server', () => {
    let feed: FeedServer
    beforeAll(async () => {
      feed = await createFeedServer({ port: 0, host: '127.0.0.1', tickHz: 20, updateShare: 1 })
    })
    afterAll(async () => {
      await feed?.close()
    })

    const board = '[data-testid="market-board"] .tw-price-flash__value'
    /** Waits until every cell shows a price, then until at least `moved` of them changed. */
    async function expectStreaming(page: Page, moved = 5): Promise<void> {
      await page.waitForFunction((selector) => {
        const values = [...document.querySelectorAll(selector)]
        return values.length === 16 && values.every((n) => /\d/.test(n.textContent ?? ''))
      }, board)
      const first = await page.$$eval(board, (nodes) => nodes.map((n) => n.textContent ?? ''))
      await page.waitForFunction(
        ([selector, before, count]) =>
          [...document.querySelectorAll(selector)].filter((n, i) => n.textContent !== before[i])
            .length >= count,
        [board, first, moved] as const,
      )
    }
    const engineOf = (page: Page) =>
      page.$eval('.tw-devtools__engine', (node) => ({
        kind: node.getAttribute('data-engine'),
        tabs: node.getAttribute('data-tabs'),
        text: node.textContent,
      }))

    it("streams prices through a dedicated worker and the panel says 'worker engine'", async () => {
      const { page, errors, close } = await openStory(WORKER_ENGINE_STORY, { feed: feed.url })
      try {
        await expectStreaming(page)
        expect(await engineOf(page)).toEqual({ kind: 'worker', tabs: '1', text: 'worker engine' })
        // The socket is the worker's: one for the page, and a worker that holds it.
        expect(page.workers()).toHaveLength(1)
        expect(feed.stats().connections).toBe(1)
        expect(await page.locator('.tw-connection-status').getAttribute('data-status')).toBe('live')
        // The streaming board and the open panel, not only the "server down" note, pass axe.
        const results = await new AxeBuilder({ page }).disableRules(PAGE_LEVEL_RULES).analyze()
        expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([])
        expect(errors).toEqual([])
      } finally {
        await close()
      }
      // The story's manager is gone with its page: the worker closed its socket.
      await expect.poll(() => feed.stats().connections, { timeout: 5_000 }).toBe(0)
    })

    it('streams prices through one SharedWorker for two pages and the panel counts the tabs', async () => {
      const context = await browser.newContext()
      try {
        const one = await openStory(SHARED_ENGINE_STORY, { feed: feed.url, context })
        await expectStreaming(one.page)
        await expect
          .poll(() => engineOf(one.page))
          .toEqual({ kind: 'shared', tabs: '1', text: 'shared engine · 1 tab' })

        const two = await openStory(SHARED_ENGINE_STORY, { feed: feed.url, context })
        await expectStreaming(two.page)
        for (const page of [one.page, two.page]) {
          await expect
            .poll(() => engineOf(page))
            .toEqual({ kind: 'shared', tabs: '2', text: 'shared engine · 2 tabs' })
        }
        // Two pages, one socket: the shared engine holds it for both.
        expect(feed.stats().connections).toBe(1)

        await two.close()
        await expect
          .poll(() => engineOf(one.page), { timeout: 10_000 })
          .toMatchObject({
            tabs: '1',
          })
        await expectStreaming(one.page, 3)
        expect([...one.errors, ...two.errors]).toEqual([])
      } finally {
        await context.close()
      }
    })
  })
})
