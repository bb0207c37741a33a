/**
 * `engine: 'shared'` where SharedWorker is missing (removed by an init script, as on Chrome
 * for Android): one leader tab's worker holds the socket for every tab (Web Locks and a
 * BroadcastChannel). When the leader closes, another tab takes over within 2 seconds with
 * the union of the remaining tabs' holds, and no shown price goes backwards.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server/index'
import {
  eventually,
  startHarness,
  until,
  withoutSharedWorker,
  type EngineHarness,
} from '../engine/harness'

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

async function tab(symbol: string): Promise<Page> {
  const page = await harness.open(withoutSharedWorker)
  await page.evaluate(
    ({ url, symbol }) => {
      window.engine.create({ url, engine: 'shared', sharedName: 'leader-test' })
      window.engine.manager().subscribe([symbol])
    },
    { url: server.url, symbol },
  )
  await until(
    page,
    () => Object.keys(window.engine.manager().store.getState().prices),
    (symbols) => symbols.length > 0,
  )
  return page
}

const seqOf = (page: Page, symbol: string) =>
  page.evaluate(
    (symbol) => window.engine.manager().store.getState().prices[symbol]?.seq ?? -1,
    symbol,
  )

describe("engine: 'shared' without SharedWorker", () => {
  it('elects one leader for all tabs and fails over within 2 s with the union of holds', async () => {
    const first = await tab('BTC-USD')
    const second = await tab('ETH-USD')
    const third = await tab('SOL-USD')
    expect(await second.evaluate(() => typeof window.SharedWorker)).toBe('undefined')
    expect(await second.evaluate(() => window.engine.manager().engine)).toBe('shared')
    await eventually(subscribed, (set) => set === 'BTC-USD,ETH-USD,SOL-USD')
    expect(server.stats().connections).toBe(1)
    await until(
      third,
      () => window.engine.manager().tabs(),
      (n) => n === 3,
    )

    // The first tab leads (it took the lock first): closing it ends its worker and socket.
    const ethBefore = await seqOf(second, 'ETH-USD')
    const solBefore = await seqOf(third, 'SOL-USD')
    const statusesBefore = await second.evaluate(() => window.engine.statuses.length)
    const closedAt = Date.now()
    await first.close()
    await eventually(
      () => [server.stats().connections, subscribed()].join(' '),
      (seen) => seen === '1 ETH-USD,SOL-USD',
    )
    await until(
      second,
      () => window.engine.manager().store.getState().prices['ETH-USD']?.seq ?? -1,
      // The old socket's last ticks may still be in flight: wait for more than those.
      (seq) => seq > ethBefore + 2,
    )
    const failoverMs = Date.now() - closedAt
    if (process.env['ENGINE_TEST_VERBOSE']) console.info(`failover: ${failoverMs} ms`)
    expect(failoverMs).toBeLessThan(2_000)
    // A new socket, from the new leader's worker: its status reached the followers.
    const statusesAfter = await second.evaluate(
      (from) => window.engine.statuses.slice(from),
      statusesBefore,
    )
    expect(statusesAfter).toContain('default:open')
    expect(await seqOf(third, 'SOL-USD')).toBeGreaterThan(solBefore)
    expect(await second.evaluate(() => window.engine.regressions)).toBe(0)
    expect(await third.evaluate(() => window.engine.regressions)).toBe(0)
    await until(
      second,
      () => window.engine.manager().tabs(),
      (n) => n === 2,
    )

    await second.evaluate(() => window.engine.manager().destroy())
    await third.evaluate(() => window.engine.manager().destroy())
    await eventually(
      () => server.stats().connections,
      (n) => n === 0,
    )
    await second.close()
    await third.close()
  })
})
