/**
 * `engine: 'worker'` in Chromium against the reference feed server on loopback: the page's
 * store fills from a dedicated worker with one write per animation frame, a server kill is
 * followed by a reconnect with exactly the wanted set, functions of the config stay on the
 * main thread, and destroy() leaves no worker and no socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StreamInspection, WebSocketConstructor } from '../../src/core/index'
import { createFeedServer, type FeedServer } from '../../src/server/index'
import { eventually, startHarness, until, type EngineHarness } from '../engine/harness'
import { startPollEndpoint } from '../engine/restServer'

let harness: EngineHarness
const servers: FeedServer[] = []

async function feed(port = 0, verifyToken?: (token: string) => boolean): Promise<FeedServer> {
  const server = await createFeedServer({
    port,
    tickHz: 20,
    updateShare: 1,
    ...(verifyToken ? { verifyToken } : {}),
  })
  servers.push(server)
  return server
}

const subscribed = (server: FeedServer) => Object.keys(server.stats().subscriptions).sort()

beforeAll(async () => {
  harness = await startHarness()
})

afterAll(async () => {
  await harness?.close()
  for (const server of servers) await server.close()
})

describe("engine: 'worker'", () => {
  it('streams through a worker, reconnects after a server kill with exactly the wanted set, and destroy() leaves nothing', async () => {
    let server = await feed()
    const page = await harness.open()
    await page.evaluate((url) => {
      const { engine } = window
      engine.create({
        url,
        engine: 'worker',
        throttleMs: 0,
        unsubscribeDelayMs: 100,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0 },
      })
      const manager = engine.manager()
      manager.subscribe(['BTC-USD'])
      ;(window as unknown as { releaseEth: () => void }).releaseEth = manager.subscribe(['ETH-USD'])
      void manager.subscribePrices(['SOL-USD'])
    }, server.url)
    expect(await page.evaluate(() => window.engine.manager().engine)).toBe('worker')

    const seqs = await until(
      page,
      () => {
        const { prices } = window.engine.manager().store.getState()
        return ['BTC-USD', 'ETH-USD', 'SOL-USD'].map((s) => prices[s]?.seq ?? -1)
      },
      (value) => value.every((seq) => seq >= 2),
    )
    expect(seqs).toHaveLength(3)
    expect(page.workers()).toHaveLength(1)
    expect(server.stats().connections).toBe(1)
    expect(subscribed(server)).toEqual(['BTC-USD', 'ETH-USD', 'SOL-USD'])
    const state = await page.evaluate(() => {
      const manager = window.engine.manager()
      return {
        status: manager.store.getState().connections['default']?.status,
        messagesIn: manager.getStats().messagesIn,
        price: manager.store.getState().prices['BTC-USD']?.price,
        maxPerFrame: window.engine.writes.maxPerFrame,
        writes: window.engine.writes.total,
      }
    })
    expect(state.status).toBe('open')
    expect(state.messagesIn).toBeGreaterThan(0)
    expect(typeof state.price).toBe('number')
    expect(state.writes).toBeGreaterThan(2)
    expect(state.maxPerFrame).toBe(1)

    // Kill the server; while it is down the page drops one symbol and wants another.
    const port = server.port
    await server.close()
    await until(
      page,
      () => window.engine.manager().store.getState().connections['default']?.status,
      (status) => status !== 'open',
    )
    await page.evaluate(() => {
      ;(window as unknown as { releaseEth: () => void }).releaseEth()
      window.engine.manager().subscribe(['XRP-USD'])
    })
    server = await feed(port)
    await eventually(
      () => subscribed(server),
      (symbols) => symbols.join() === 'BTC-USD,SOL-USD,XRP-USD',
    )
    await until(
      page,
      () => window.engine.manager().store.getState().prices['XRP-USD']?.seq ?? -1,
      (seq) => seq >= 1,
    )
    expect(server.stats().connections).toBe(1)
    const statuses = await page.evaluate(() => window.engine.statuses)
    expect(statuses).toContain('default:reconnecting')
    expect(statuses.at(-1)).toBe('default:open')
    expect(await page.evaluate(() => window.engine.writes.maxPerFrame)).toBe(1)

    // inspect(): the worker's wanted sets, status history and frames reach the tab.
    await page.evaluate(() => {
      const inspection = window.engine.manager().inspect()
      const frames: unknown[] = []
      inspection.onFrame((frame) => frames.push(frame))
      ;(window as unknown as { inspected: unknown }).inspected = { inspection, frames }
    })
    const inspected = await until(
      page,
      () => {
        const { inspection, frames } = (
          window as unknown as {
            inspected: {
              inspection: StreamInspection
              frames: unknown[]
            }
          }
        ).inspected
        return {
          wanted: Object.keys(inspection.wanted()['default'] ?? {}).sort(),
          history: inspection.history().length,
          frames: frames.length,
        }
      },
      (value) => value.frames > 0 && value.wanted.length > 0,
    )
    expect(inspected.wanted).toEqual(['BTC-USD', 'SOL-USD', 'XRP-USD'])
    expect(inspected.history).toBeGreaterThan(2)

    await page.evaluate(() => window.engine.manager().destroy())
    await eventually(
      () => page.workers().length,
      (n) => n === 0,
    )
    await eventually(
      () => server.stats().connections,
      (n) => n === 0,
    )
    await page.close()
  })

  it('asks getToken on the main thread through the worker', async () => {
    const server = await feed(0, (token) => token === 'secret')
    const page = await harness.open()
    await page.evaluate((url) => {
      window.engine.create({
        url,
        engine: 'worker',
        protocol: window.engine.engineProtocol({ name: 'tickwire' }),
        getToken: () => {
          window.engine.tokenCalls++
          return Promise.resolve('secret')
        },
      })
      window.engine.manager().subscribe(['BTC-USD'])
    }, server.url)
    await until(
      page,
      () => window.engine.manager().store.getState().prices['BTC-USD']?.seq ?? -1,
      (seq) => seq >= 1,
    )
    const seen = await page.evaluate(() => ({
      engine: window.engine.manager().engine,
      tokenCalls: window.engine.tokenCalls,
      warnings: window.engine.warnings,
    }))
    expect(seen).toEqual({ engine: 'worker', tokenCalls: 1, warnings: [] })
    await page.evaluate(() => window.engine.manager().destroy())
    await page.close()
  })

  it.each([
    ['WebSocket', '`WebSocket`'],
    ['protocol', '`protocol`'],
    ['no Worker', 'needs Worker'],
  ])('runs on the main thread with one warning: %s', async (option, named) => {
    const server = await feed()
    const page = await harness.open(
      option === 'no Worker'
        ? () => {
            Reflect.deleteProperty(window, 'Worker')
          }
        : undefined,
    )
    await page.evaluate(
      ({ url, option }) => {
        const custom =
          option === 'WebSocket'
            ? { WebSocket: window.WebSocket as unknown as WebSocketConstructor }
            : option === 'protocol'
              ? { protocol: { ...window.engine.engineProtocol({ name: 'tickwire' }) } }
              : {}
        window.engine.create({ url, engine: 'worker', ...custom })
        window.engine.manager().subscribe(['ETH-USD'])
      },
      { url: server.url, option },
    )
    await until(
      page,
      () => window.engine.manager().store.getState().prices['ETH-USD']?.seq ?? -1,
      (seq) => seq >= 1,
    )
    const seen = await page.evaluate(() => ({
      engine: window.engine.manager().engine,
      warnings: window.engine.warnings,
    }))
    expect(seen.engine).toBe('main')
    expect(seen.warnings).toHaveLength(1)
    expect(seen.warnings[0]).toContain(named)
    expect(page.workers()).toHaveLength(0)
    await page.evaluate(() => window.engine.manager().destroy())
    await eventually(
      () => server.stats().connections,
      (n) => n === 0,
    )
    await page.close()
  })

  it('falls back to REST polling from the worker while the socket is down, and back', async () => {
    const rest = await startPollEndpoint()
    let server = await feed()
    const page = await harness.open()
    await page.evaluate(
      ({ url, restUrl }) => {
        window.engine.create({
          url,
          restUrl,
          engine: 'worker',
          fallbackAfterFailures: 1,
          fallbackIntervalMs: 200,
          reconnect: { initialDelayMs: 100, maxDelayMs: 300, jitter: 0 },
        })
        window.engine.manager().subscribe(['BTC-USD'])
      },
      { url: server.url, restUrl: rest.url },
    )
    const source = () => window.engine.manager().store.getState().prices['BTC-USD']?.source
    await until(page, source, (value) => value === 'stream')

    const port = server.port
    await server.close()
    await until(
      page,
      () => window.engine.manager().store.getState().connections['default']?.status,
      (status) => status === 'fallback',
    )
    await until(page, source, (value) => value === 'poll')
    expect(
      await page.evaluate(() => window.engine.manager().store.getState().prices['BTC-USD']?.price),
    ).toBe(42)

    server = await feed(port)
    await until(
      page,
      () => window.engine.manager().store.getState().connections['default']?.status,
      (status) => status === 'open',
    )
    // Polling stops once the socket is back.
    const pollsAtOpen = rest.requests()
    await new Promise((done) => setTimeout(done, 600))
    expect(rest.requests() - pollsAtOpen).toBeLessThanOrEqual(1)
    await page.evaluate(() => window.engine.manager().destroy())
    await page.close()
    await rest.close()
  })
})
