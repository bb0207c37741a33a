/**
 * Mount and unmount, many times: every `destroy()` of a worker or shared engine manager leaves
 * no worker, socket or Web Lock behind, as a StrictMode app that remounts its provider would
 * need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server/index'
import { eventually, startHarness, until, type EngineHarness } from '../engine/harness'

let harness: EngineHarness
let server: FeedServer

beforeAll(async () => {
  server = await createFeedServer({ port: 0, tickHz: 20 })
  harness = await startHarness()
})

afterAll(async () => {
  await harness?.close()
  await server?.close()
})

/**
 * Cycles per engine. A dedicated worker costs a thread start per cycle (about 0.2 s on a
 * loaded two-core machine), so it runs fewer; the shared engine reuses its SharedWorker.
 */
const CYCLES = { worker: 100, shared: 1_000 } as const

describe('destroy() after many create cycles', () => {
  it.each(['worker', 'shared'] as const)(
    "engine: '%s' leaves no worker, socket or lock behind",
    async (engine) => {
      const page = await harness.open()
      await page.evaluate(
        async ({ url, engine, cycles }) => {
          for (let i = 0; i < cycles; i++) {
            const manager = window.engine.createEngineManager({
              url,
              engine,
              sharedName: 'lifecycle',
              unsubscribeDelayMs: 0,
            })
            manager.subscribe(['BTC-USD'])
            // Every tenth manager lives long enough to open its socket and receive data.
            if (i % 10 === 0) {
              await new Promise<void>((done) => {
                const stop = manager.store.subscribe((state) => {
                  if (state.prices['BTC-USD']) {
                    stop()
                    done()
                  }
                })
              })
            }
            manager.destroy()
          }
        },
        { url: server.url, engine, cycles: CYCLES[engine] },
      )
      await eventually(
        () => server.stats().connections,
        (n) => n === 0,
      )
      await eventually(
        () => page.workers().length,
        (n) => n === 0,
      )
      const locks = await until(
        page,
        async () => {
          const { held = [], pending = [] } = await navigator.locks.query()
          return [...held, ...pending].filter((lock) => lock.name?.startsWith('tickwire:')).length
        },
        (n) => n === 0,
      )
      expect(locks).toBe(0)
      expect(await page.evaluate(() => window.engine.warnings)).toEqual([])
      await page.close()
    },
  )
})
