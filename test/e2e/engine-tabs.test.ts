/**
 * The tab count of a shared engine (`inspect().engine().tabs`, shown by the devtools header)
 * follows tabs that attach and leave even when no prices flow: the pages here subscribe
 * nothing, so the only frame a page gets is its attach's, and the count must come from the
 * host's own message when another tab opens, closes or destroys its manager. Both the
 * SharedWorker and the leader-tab fallback (SharedWorker removed, as on Chrome for Android).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server/index'
import { startHarness, until, withoutSharedWorker, type EngineHarness } from '../engine/harness'

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

/** Opens a page whose shared-engine manager holds no symbol at all. */
async function idleTab(sharedName: string, init?: () => void): Promise<Page> {
  const page = await harness.open(init)
  await page.evaluate(
    ({ url, sharedName }) => {
      window.engine.create({ url, engine: 'shared', sharedName })
    },
    { url: server.url, sharedName },
  )
  return page
}

/** Waits until `page`'s manager reports `n` tabs. */
const tabsAre = (page: Page, n: number) =>
  until(
    page,
    () => window.engine.manager().inspect().engine().tabs,
    (tabs) => tabs === n,
  )

async function countsFollowTabs(sharedName: string, init?: () => void): Promise<void> {
  const first = await idleTab(sharedName, init)
  await tabsAre(first, 1)

  // The second page's attach frame tells it 2; the first page, sent no frame, must hear too.
  const second = await idleTab(sharedName, init)
  await tabsAre(second, 2)
  await tabsAre(first, 2)
  await second.close()
  await tabsAre(first, 1)

  // A manager destroyed in a page that stays open leaves the count as well.
  const third = await idleTab(sharedName, init)
  await tabsAre(third, 2)
  await tabsAre(first, 2)
  await third.evaluate(() => window.engine.manager().destroy())
  await tabsAre(first, 1)
  await third.close()
  await first.evaluate(() => window.engine.manager().destroy())
  await first.close()
}

describe("engine: 'shared' tab count with no prices flowing", () => {
  it('goes 1 → 2 → 1 as a page opens and closes, and as a page destroys its manager', async () => {
    await countsFollowTabs('tabs-test')
  })

  it('does the same on the leader-tab fallback', async () => {
    await countsFollowTabs('tabs-leader-test', withoutSharedWorker)
  })
})
