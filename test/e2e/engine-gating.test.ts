/**
 * Frame gating in Chromium against the reference feed server on loopback: the host posts a
 * tab its next frame only once the tab has written the previous one to its store
 * (src/core/engine/frame-gate.ts). A tab whose main thread is busy for 1.5 s while prices
 * keep changing every few milliseconds gets one frame in flight, then the merged changes, not
 * the queue of frames made meanwhile; it ends at the last values, no seq going backwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server/index'
import { startHarness, until, type EngineHarness } from '../engine/harness'

let harness: EngineHarness
const servers: FeedServer[] = []
const SYMBOLS = ['BTC-USD', 'ETH-USD']
const BUSY_MS = 1_500
/** How long the test watches the tab after its busy spell. */
const AFTER_MS = 100

/** Counts the host's `frame` messages the page receives (a Worker's or a port's). */
function countFrames(): void {
  const probe = window as unknown as { framesIn: number }
  probe.framesIn = 0
  for (const proto of [Worker.prototype, MessagePort.prototype]) {
    const own = Object.getOwnPropertyDescriptor(proto, 'onmessage')
    if (!own?.set || !own.get) continue
    const { get, set } = own
    Object.defineProperty(proto, 'onmessage', {
      configurable: true,
      get,
      set(this: EventTarget, handler: ((event: MessageEvent) => void) | null) {
        set.call(
          this,
          handler &&
            ((event: MessageEvent<{ type?: string } | null>) => {
              if (event.data?.type === 'frame') probe.framesIn++
              handler.call(this, event)
            }),
        )
      },
    })
  }
}

beforeAll(async () => {
  harness = await startHarness()
})

afterAll(async () => {
  await harness?.close()
  for (const server of servers) await server.close()
})

describe('frame gating', () => {
  it.each(['worker', 'shared'] as const)(
    "engine: '%s': a busy tab receives merged diffs, one frame in flight, and ends at the last values",
    async (engine) => {
      const server = await createFeedServer({ port: 0, tickHz: 0 })
      servers.push(server)
      const page = await harness.open(countFrames)
      await page.evaluate(
        ({ url, engine, symbols }) => {
          window.engine.create({ url, engine, sharedName: `gating-${engine}`, throttleMs: 0 })
          window.engine.manager().subscribe(symbols)
        },
        { url: server.url, engine, symbols: SYMBOLS },
      )
      await until(
        page,
        () => window.engine.manager().store.getState().prices['ETH-USD']?.seq ?? -1,
        (seq) => seq >= 0,
      )

      // Every symbol changes every 4 ms: a frame of changes for every frame of the worker.
      const last: Record<string, number> = {}
      let price = 100
      const publisher = setInterval(() => {
        price += 1
        for (const symbol of SYMBOLS) {
          const move = server.publish(symbol, { price })
          if (move) last[symbol] = move.seq
        }
      }, 4)
      try {
        await until(
          page,
          () => window.engine.writes.total,
          (writes) => writes > 10,
        )
        const seen = await page.evaluate(
          async ({ busyMs, afterMs }) => {
            const probe = window as unknown as { framesIn: number }
            const state = () => window.engine.manager().store.getState().prices['BTC-USD']
            const before = { frames: probe.framesIn, writes: window.engine.writes.total }
            const started = performance.now()
            while (performance.now() - started < busyMs) {
              // The tab's main thread is busy: it cannot read messages nor paint.
            }
            const seqAtEnd = state()?.seq ?? -1
            await new Promise((done) => setTimeout(done, afterMs))
            return {
              frames: probe.framesIn - before.frames,
              writes: window.engine.writes.total - before.writes,
              jump: (state()?.seq ?? -1) - seqAtEnd,
            }
          },
          { busyMs: BUSY_MS, afterMs: AFTER_MS },
        )
        // Without the gate the worker's frames of the busy spell (about one per 16 ms, so
        // dozens) wait in the tab's queue and all arrive now; with it, the one in flight
        // arrives, then one per store write of the tab.
        expect(seen.frames).toBeGreaterThan(0)
        expect(seen.frames).toBeLessThanOrEqual(Math.ceil(AFTER_MS / 16) + 2)
        // Those few frames carry the whole spell's changes: hundreds of seqs in a few writes
        // (one more write than frames when a frame arrived just before the spell).
        expect(seen.writes).toBeLessThanOrEqual(seen.frames + 1)
        expect(seen.jump).toBeGreaterThan(50)
      } finally {
        clearInterval(publisher)
      }

      const final = await until(
        page,
        () =>
          ['BTC-USD', 'ETH-USD'].map(
            (s) => window.engine.manager().store.getState().prices[s]?.seq ?? -1,
          ),
        (seqs) => seqs.every((seq, i) => seq === last[SYMBOLS[i] ?? '']),
      )
      expect(final).toEqual(SYMBOLS.map((s) => last[s]))
      expect(await page.evaluate(() => window.engine.regressions)).toBe(0)
      await page.evaluate(() => window.engine.manager().destroy())
      await page.close()
    },
  )
})
