/**
 * Hooks and components work unchanged on the worker engines: `StreamProvider` (in StrictMode)
 * given a worker or shared engine manager, cells reading `usePrice`, one socket at the server.
 */
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

describe('React on the worker engines', () => {
  it.each(['worker', 'shared'] as const)(
    "usePrice cells stream on engine: '%s'",
    async (engine) => {
      const page = await harness.openReact(server.url, engine)
      const seqs = await until(
        page,
        () =>
          [...document.querySelectorAll<HTMLElement>('.cell')].map((cell) =>
            Number(cell.dataset['seq']),
          ),
        (values) => values.length === 3 && values.every((seq) => seq >= 2),
      )
      expect(seqs).toHaveLength(3)
      const text = await page.locator('[data-symbol="BTC-USD"]').textContent()
      expect(Number(text)).toBeGreaterThan(0)
      expect(server.stats().connections).toBe(1)
      expect(Object.keys(server.stats().subscriptions).sort()).toEqual([
        'BTC-USD',
        'ETH-USD',
        'SOL-USD',
      ])
      expect(page.workers()).toHaveLength(engine === 'worker' ? 1 : 0)
      await page.close()
      await eventually(
        () => server.stats().connections,
        (n) => n === 0,
      )
    },
  )
})
