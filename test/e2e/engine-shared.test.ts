/**
 * `engine: 'shared'` in Chromium: pages of one persistent context share one SharedWorker, so
 * the feed server sees one socket however many pages are open; reference counts span pages;
 * a page that closes, or crashes without `pagehide`, releases its holds after the unsubscribe
 * delay (its Web Lock frees, and the worker was waiting on it).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server/index'
import { eventually, startHarness, until, type EngineHarness } from '../engine/harness'

let harness: EngineHarness
let server: FeedServer

beforeAll(async () => {
  server = await createFeedServer({ port: 0, tickHz: 20, updateShare: 1 })
  harness = await startHarness()
})

afterAll(async () => {
  await harness?.close()
  await server?.close()
})

const subscribed = () => Object.keys(server.stats().subscriptions).sort().join()

/** Opens a page whose shared-engine manager holds `symbols`. */
async function tab(sharedName: string, symbols: string[]): Promise<Page> {
  const page = await harness.open()
  await page.evaluate(
    ({ url, sharedName, symbols }) => {
      window.engine.create({ url, engine: 'shared', sharedName, unsubscribeDelayMs: 300 })
      window.engine.manager().subscribe(symbols)
    },
    { url: server.url, sharedName, symbols },
  )
  // Every tab's store holds the shared stream's prices: wait for this tab's own symbols.
  await until(
    page,
    () => Object.keys(window.engine.manager().store.getState().prices),
    (shown) => symbols.every((symbol) => shown.includes(symbol)),
  )
  return page
}

describe("engine: 'shared'", () => {
  it('opens one socket for two and three pages, and releases what a closed or crashed page held', async () => {
    const first = await tab('shared-test', ['BTC-USD', 'ETH-USD'])
    expect(await first.evaluate(() => window.engine.manager().engine)).toBe('shared')
    const second = await tab('shared-test', ['ETH-USD', 'SOL-USD'])
    expect(server.stats().connections).toBe(1)
    expect(subscribed()).toBe('BTC-USD,ETH-USD,SOL-USD')
    const third = await tab('shared-test', ['SOL-USD', 'XRP-USD'])
    expect(server.stats().connections).toBe(1)
    expect(subscribed()).toBe('BTC-USD,ETH-USD,SOL-USD,XRP-USD')
    await until(
      first,
      () => window.engine.manager().tabs(),
      (n) => n === 3,
    )

    // A page that closes: its ETH-USD stays (the first page holds it) and so does its SOL-USD
    // (the third holds it): counts span pages. Its tab is gone from the count.
    await second.close()
    await until(
      first,
      () => window.engine.manager().tabs(),
      (n) => n === 2,
    )
    expect(subscribed()).toBe('BTC-USD,ETH-USD,SOL-USD,XRP-USD')

    // A page that crashes: SOL-USD and XRP-USD, which no other page holds now, are
    // unsubscribed after the delay.
    const cdp = await harness.context.newCDPSession(third)
    void cdp.send('Page.crash').catch(() => {})
    await eventually(subscribed, (set) => set === 'BTC-USD,ETH-USD')
    await until(
      first,
      () => window.engine.manager().tabs(),
      (n) => n === 1,
    )
    expect(server.stats().connections).toBe(1)

    // The survivor still streams.
    const before = await first.evaluate(
      () => window.engine.manager().store.getState().prices['BTC-USD']?.seq ?? -1,
    )
    await until(
      first,
      () => window.engine.manager().store.getState().prices['BTC-USD']?.seq ?? -1,
      (seq) => seq > before,
    )

    // A page that closes alone holding a symbol releases it too.
    const fourth = await tab('shared-test', ['DOGE-USD'])
    expect(subscribed()).toBe('BTC-USD,DOGE-USD,ETH-USD')
    await fourth.close()
    await eventually(subscribed, (set) => set === 'BTC-USD,ETH-USD')

    // A page with another config joins the same worker: it is told so, once, and still streams.
    const other = await harness.open()
    await other.evaluate((url) => {
      window.engine.create({ url, engine: 'shared', sharedName: 'shared-test', throttleMs: 0 })
      window.engine.manager().subscribe(['BTC-USD'])
    }, server.url)
    await until(
      other,
      () => window.engine.manager().store.getState().prices['BTC-USD']?.seq ?? -1,
      (seq) => seq >= 0,
    )
    const notices = await other.evaluate(() => window.engine.warnings)
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain('sharedName')
    expect(await first.evaluate(() => window.engine.warnings)).toEqual([])
    await other.close()

    // The last page destroys its manager: the shared socket closes.
    await first.evaluate(() => window.engine.manager().destroy())
    await eventually(
      () => server.stats().connections,
      (n) => n === 0,
    )
    await third.close().catch(() => {})
    await first.close()
  })
})
