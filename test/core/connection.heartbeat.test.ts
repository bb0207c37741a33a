import { afterEach, describe, expect, test, vi } from 'vitest'
import type { Connection } from '../../src/core/connection/types'
import type { TimerHandle, TimerProvider } from '../../src/core/timers'
import { countingTimers, ofType, openConnection } from '../helpers/connectionHarness'
import { createTestServer, type TestServer } from '../helpers/testServer'

const FAKE = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const

let server: TestServer | undefined
let conn: Connection | undefined

afterEach(async () => {
  conn?.destroy()
  conn = undefined
  vi.useRealTimers()
  await server?.close()
  server = undefined
})

async function setup(
  config: Parameters<typeof openConnection>[1],
  options: Parameters<typeof openConnection>[2] = {},
): Promise<TestServer> {
  const s = await createTestServer()
  server = s
  const o = openConnection(s.url, config, options)
  conn = o.conn
  await s.waitFor(() => o.conn.getInfo().status === 'open')
  return s
}
const info = () => (conn as Connection).getInfo()
const pings = (s: TestServer) => ofType(s.last?.received ?? [], 'ping')

describe('heartbeat (PROTOCOL.md section 4)', () => {
  test('the client pings every heartbeatIntervalMs with its clock as ts', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ heartbeatIntervalMs: 1000 })
    vi.advanceTimersByTime(999)
    expect(pings(s)).toHaveLength(0)
    vi.advanceTimersByTime(1)
    await s.waitFor(() => pings(s).length === 1)
    expect(pings(s)[0]).toEqual({ type: 'ping', ts: Date.now() })
    vi.advanceTimersByTime(1000)
    await s.waitFor(() => pings(s).length === 2)
  })

  test('latency from pong: the last round trip and a smoothed average', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ heartbeatIntervalMs: 1000 })
    s.autoPong = false
    vi.advanceTimersByTime(1000)
    await s.waitFor(() => pings(s).length === 1)
    vi.advanceTimersByTime(40)
    s.send({ type: 'pong', ts: pings(s)[0]?.ts })
    await s.waitFor(() => info().latencyMs !== undefined)
    expect(info()).toMatchObject({ latencyMs: 40, avgLatencyMs: 40 })
    vi.advanceTimersByTime(960)
    await s.waitFor(() => pings(s).length === 2)
    vi.advanceTimersByTime(140)
    s.send({ type: 'pong', ts: pings(s)[1]?.ts })
    await s.waitFor(() => info().latencyMs === 140)
    expect(info().avgLatencyMs).toBeCloseTo(40 * 0.8 + 140 * 0.2, 6)
  })

  test('a client MUST work without welcome; welcome.heartbeatMs may make pings more frequent, never less', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ heartbeatIntervalMs: 10_000 })
    s.send({ type: 'welcome', serverTime: Date.now(), heartbeatMs: 60_000 })
    await s.waitFor(() => info().stats.messagesIn === 1)
    vi.advanceTimersByTime(10_000)
    await s.waitFor(() => pings(s).length === 1)
    s.send({ type: 'welcome', heartbeatMs: 2_000 })
    await s.waitFor(() => info().stats.messagesIn === 3) // the pong and the welcome
    vi.advanceTimersByTime(2_000)
    await s.waitFor(() => pings(s).length === 2)
  })

  test('stale after staleTimeoutMs of silence: closes with 4000, does not wait for the handshake, reconnects with reason stale', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ heartbeatIntervalMs: 1000, staleTimeoutMs: 3000 })
    s.stall(true)
    vi.advanceTimersByTime(2999)
    expect(info().status).toBe('open')
    vi.advanceTimersByTime(1)
    // Straight to reconnecting: no wait for a closing handshake a half-open socket never sends.
    expect(info()).toMatchObject({ status: 'reconnecting', reason: 'stale' })
    await s.waitFor(() => s.sockets[0]?.closeCode === 4000)
    s.stall(false)
    vi.advanceTimersByTime(1000)
    await s.waitFor(() => info().status === 'open')
    expect(s.opened).toBe(2)
  })

  test('any frame received counts as life', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ heartbeatIntervalMs: 1000, staleTimeoutMs: 3000 })
    s.autoPong = false
    for (let i = 1; i <= 8; i++) {
      vi.advanceTimersByTime(1000)
      s.send({ type: 'news', i })
      await s.waitFor(() => info().stats.messagesIn === i)
    }
    expect(info().status).toBe('open')
    expect(s.opened).toBe(1)
  })

  test('a late timer (throttled tab) pings first and waits a grace before declaring stale', async () => {
    // Timers that fire only when told, and a clock the test moves: a throttled background tab.
    let now = 1_000_000
    const due: { at: number; cb: () => void; handle: object }[] = []
    const manual: TimerProvider = {
      setTimeout(cb, ms) {
        const handle = {}
        due.push({ at: now + ms, cb, handle })
        return handle
      },
      clearTimeout(handle: TimerHandle) {
        const i = due.findIndex((d) => d.handle === handle)
        if (i >= 0) due.splice(i, 1)
      },
      setInterval: () => ({}),
      clearInterval: () => undefined,
      now: () => now,
      requestFrame: () => ({}),
      cancelFrame: () => undefined,
    }
    const runDue = (): void => {
      for (const d of due.filter((x) => x.at <= now).sort((a, b) => a.at - b.at)) {
        const i = due.indexOf(d)
        if (i < 0) continue
        due.splice(i, 1)
        d.cb()
      }
    }
    const timers = countingTimers(manual)
    const s = await setup({ heartbeatIntervalMs: 30_000, staleTimeoutMs: 60_000 }, { timers })
    // The tab sleeps for 5 minutes: no timer ran, then one late timer runs.
    now += 300_000
    runDue()
    expect(info().status).toBe('open')
    await s.waitFor(() => pings(s).length === 1)
    // The pong arrives within the grace: alive.
    await s.waitFor(() => info().latencyMs !== undefined)
    now += 5_000
    runDue()
    expect(info().status).toBe('open')

    // Now a truly dead socket: the next late wake pings, gets nothing, and declares it stale after the grace.
    s.stall(true)
    now += 300_000
    runDue()
    expect(info().status).toBe('open')
    await s.waitFor(() => pings(s).length === 2)
    now += 5_000
    runDue()
    expect(info()).toMatchObject({ status: 'reconnecting', reason: 'stale' })
  })
})
