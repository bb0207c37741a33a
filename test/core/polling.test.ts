import { QueryClient, focusManager, onlineManager } from '@tanstack/query-core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import type { ConnectionConfig } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { defaultTimers } from '../../src/core/timers'
import type { TimerProvider } from '../../src/core/timers'
import { createPoller, validateSnapshot } from '../../src/core/fallback/poller'
import type { PollerOptions } from '../../src/core/fallback/poller'
import type { PolledSnapshot, Poller } from '../../src/core/fallback/types'
import { startRestServer } from '../helpers/restServer'
import type { RestTestServer } from '../helpers/restServer'
import { createTestServer } from '../helpers/testServer'
import type { TestServer } from '../helpers/testServer'

/** `Date.now()` and the event loop's timer clock are different millisecond clocks: allow their rounding. */
const CLOCK_SLACK_MS = 2

const WS = WebSocket

/** Timers whose intervals run only when the test says so: the poll cadence without sleeping. */
function manualTimers(): TimerProvider & { tick(): void; pending(): number } {
  const intervals = new Map<number, () => void>()
  let next = 1
  return {
    ...defaultTimers,
    setInterval(callback) {
      intervals.set(next, callback)
      return next++
    },
    clearInterval(handle) {
      intervals.delete(handle as number)
    },
    tick() {
      for (const callback of [...intervals.values()]) callback()
    },
    pending: () => intervals.size,
  }
}

describe('validateSnapshot', () => {
  it('keeps valid entries, drops and reports bad ones', () => {
    const body = JSON.parse(
      JSON.stringify({
        prices: {
          A: { seq: 3, ts: 10, data: { price: 1, bid: 0.5, extra: 'kept' } },
          B: { seq: -1, data: { price: 1 } },
          C: { seq: 1, data: { price: 'x' } },
          D: { seq: 1, data: { bid: 2 } },
          E: { seq: 1.5, data: { price: 1 } },
          F: { seq: 1, ts: 'now', data: { price: 1 } },
          G: { seq: 1, data: [1] },
          NOT_ASKED: { seq: 1, data: { price: 1 } },
        },
        unknown: ['X', 'NOT_ASKED_EITHER', 7],
      }),
    ) as unknown
    const { snapshot, problems } = validateSnapshot(body, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'X'])
    expect(Object.keys(snapshot.prices)).toEqual(['A'])
    expect(snapshot.prices['A']).toEqual({
      seq: 3,
      ts: 10,
      data: { price: 1, bid: 0.5, extra: 'kept' },
    })
    expect(snapshot.unknown).toEqual(['X'])
    expect(problems).toHaveLength(6)
    expect(problems.join('\n')).toMatch(/"B": bad seq/)
  })

  it('copies into null-prototype objects and never writes __proto__', () => {
    const body = JSON.parse(
      '{"prices":{"__proto__":{"seq":1,"data":{"price":1}},"A":{"seq":1,"data":{"price":2,"__proto__":{"polluted":true},"constructor":1}}}}',
    ) as unknown
    const { snapshot, problems } = validateSnapshot(body, ['A', '__proto__'])
    const entry = snapshot.prices['A']
    expect(entry).toBeDefined()
    expect(Object.getPrototypeOf(snapshot.prices)).toBeNull()
    expect(Object.getPrototypeOf(entry?.data)).toBeNull()
    expect(Object.keys(entry?.data ?? {})).toEqual(['price'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(problems).toEqual(['invalid REST entry for "__proto__": bad symbol'])
  })

  it('reports a body that is not an object', () => {
    expect(validateSnapshot([1], ['A']).problems).toEqual(['invalid REST body: not an object'])
    expect(validateSnapshot({ prices: 3 }, ['A']).problems).toHaveLength(1)
  })
})

describe('createPoller', () => {
  let server: RestTestServer
  let queryClient: QueryClient
  let poller: Poller | undefined
  let snapshots: PolledSnapshot[]
  let errors: string[]

  beforeEach(async () => {
    server = await startRestServer()
    queryClient = new QueryClient()
    snapshots = []
    errors = []
  })
  afterEach(async () => {
    poller?.destroy()
    poller = undefined
    queryClient.clear()
    focusManager.setFocused(undefined)
    onlineManager.setOnline(true)
    await server.close()
  })

  function make(overrides: Partial<PollerOptions> = {}): Poller {
    poller = createPoller({
      queryClient,
      connection: 'default',
      restUrl: server.url,
      intervalMs: 1000,
      timers: defaultTimers,
      retry: 0,
      onSnapshot: (snapshot) => snapshots.push(snapshot),
      onError: (message) => errors.push(message),
      ...overrides,
    })
    return poller
  }

  it('polls at once on start, then once per interval tick', async () => {
    const timers = manualTimers()
    const p = make({ timers })
    p.setSymbols(['BTC-USD', 'ETH-USD'])
    p.start()
    p.start() // idempotent
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.symbols).toEqual(['BTC-USD', 'ETH-USD'])
    expect(timers.pending()).toBe(1)
    timers.tick()
    await vi.waitFor(() => expect(snapshots).toHaveLength(2))
    timers.tick()
    await vi.waitFor(() => expect(snapshots).toHaveLength(3))
    expect(server.requests).toHaveLength(3)
    expect(snapshots[2]?.prices['ETH-USD']?.data['price']).toBe(100)
  })

  it('polls on real timers at the interval', async () => {
    const p = make({ intervalMs: 100 })
    p.setSymbols(['A'])
    // Read a loop turn before start(): the interval counts from the event loop's clock, cached
    // when a turn begins, so it cannot start before `base`, and request k (a tick's, ticks never
    // come early and are never made up) cannot arrive before base + k * 100. A loaded machine
    // only delays requests, so this holds however busy it is; counting requests in a fixed
    // span of real time does not (a slow round trip left 2 in 350 ms).
    const base = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 0))
    p.start()
    await vi.waitFor(() => expect(server.requests.length).toBeGreaterThanOrEqual(3), {
      timeout: 5_000,
      interval: 5,
    })
    p.stop()
    server.requests.forEach((request, k) =>
      expect(request.at - base).toBeGreaterThanOrEqual(k * 100 - CLOCK_SLACK_MS),
    )
  })

  it('a symbol change takes effect at the next poll', async () => {
    const timers = manualTimers()
    const p = make({ timers })
    p.setSymbols(['A'])
    p.start()
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    p.setSymbols(['B', 'A', 'B'])
    timers.tick()
    await vi.waitFor(() => expect(snapshots).toHaveLength(2))
    expect(server.requests.map((r) => r.symbols)).toEqual([['A'], ['A', 'B']])
  })

  it('splits 250 symbols into requests of at most 100 and merges the answers', async () => {
    const symbols = Array.from({ length: 250 }, (_, i) => `S${String(i).padStart(3, '0')}`)
    const p = make({ timers: manualTimers() })
    p.setSymbols(symbols)
    p.start()
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    expect(server.requests.map((r) => r.symbols.length)).toEqual([100, 100, 50])
    expect(new Set(server.requests.flatMap((r) => r.symbols))).toEqual(new Set(symbols))
    expect(Object.keys(snapshots[0]?.prices ?? {})).toHaveLength(250)
  })

  it('applies the valid entries of a body and reports the bad ones', async () => {
    server.answer = () => ({
      body: {
        prices: { A: { seq: 1, data: { price: 5 } }, B: { seq: 'one', data: { price: 5 } } },
        unknown: ['C'],
      },
    })
    const p = make({ timers: manualTimers() })
    p.setSymbols(['A', 'B', 'C'])
    p.start()
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    expect(Object.keys(snapshots[0]?.prices ?? {})).toEqual(['A'])
    expect(snapshots[0]?.unknown).toEqual(['C'])
    expect(errors).toEqual(['invalid REST entry for "B": bad seq'])
  })

  it('reports an HTTP error after its retries, and retries before that', async () => {
    let calls = 0
    server.answer = (symbols) => {
      calls++
      return calls < 3
        ? { status: 500 }
        : { body: { prices: { [symbols[0] ?? '']: { seq: 1, data: { price: 1 } } } } }
    }
    const p = make({ timers: manualTimers(), retry: 2, retryDelayMs: 10 })
    p.setSymbols(['A'])
    p.start()
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    expect(errors).toEqual([])
    expect(server.requests).toHaveLength(3)

    server.answer = () => ({ status: 503 })
    p.refresh()
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    expect(errors[0]).toMatch(/HTTP 503/)
    expect(server.requests).toHaveLength(6)
  })

  it('stop() aborts the request in flight, delivers nothing and requests nothing afterwards', async () => {
    server.answer = () => ({ hang: true })
    const timers = manualTimers()
    const p = make({ timers })
    p.setSymbols(['A'])
    p.start()
    await vi.waitFor(() => expect(server.requests).toHaveLength(1))
    p.stop()
    await vi.waitFor(() => expect(server.requests[0]?.aborted).toBe(true))
    expect(timers.pending()).toBe(0)
    timers.tick()
    focusManager.setFocused(false)
    focusManager.setFocused(true)
    onlineManager.setOnline(false)
    onlineManager.setOnline(true)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(server.requests).toHaveLength(1)
    expect(snapshots).toEqual([])
    expect(errors).toEqual([])
  })

  it('drops an answer that arrives after stop()', async () => {
    let resolveFetch: ((snapshot: { prices: PolledSnapshot['prices'] }) => void) | undefined
    const p = make({
      restUrl: undefined,
      timers: manualTimers(),
      // A fetcher that ignores the signal: the poller itself must still drop its answer.
      fetchSnapshot: () => new Promise((resolve) => (resolveFetch = resolve)),
    })
    p.setSymbols(['A'])
    p.start()
    await vi.waitFor(() => expect(resolveFetch).toBeDefined())
    p.stop()
    resolveFetch?.({ prices: { A: { seq: 1, data: { price: 1 } } } })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(snapshots).toEqual([])
  })

  it('uses fetchSnapshot with every symbol and an AbortSignal that stop() aborts', async () => {
    const signals: AbortSignal[] = []
    const calls: string[][] = []
    const symbols = Array.from({ length: 150 }, (_, i) => `S${i}`)
    const p = make({
      restUrl: undefined,
      timers: manualTimers(),
      fetchSnapshot: (list, signal) => {
        calls.push(list)
        signals.push(signal)
        return new Promise(() => {})
      },
    })
    p.setSymbols(symbols)
    p.start()
    await vi.waitFor(() => expect(calls).toHaveLength(1))
    expect(calls[0]).toHaveLength(150)
    expect(signals[0]?.aborted).toBe(false)
    p.stop()
    expect(signals[0]?.aborted).toBe(true)
    expect(server.requests).toHaveLength(0)
  })

  it('skips ticks while the page is hidden and refreshes as soon as it is visible', async () => {
    const timers = manualTimers()
    const p = make({ timers })
    p.setSymbols(['A'])
    p.start()
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    focusManager.setFocused(false)
    timers.tick()
    timers.tick()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(server.requests).toHaveLength(1)
    focusManager.setFocused(true)
    await vi.waitFor(() => expect(snapshots).toHaveLength(2))
    expect(server.requests).toHaveLength(2)
  })

  it('skips ticks while offline and refreshes as soon as the browser is back online', async () => {
    const timers = manualTimers()
    const p = make({ timers })
    p.setSymbols(['A'])
    onlineManager.setOnline(false)
    p.start()
    timers.tick()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(server.requests).toHaveLength(0)
    onlineManager.setOnline(true)
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    expect(server.requests).toHaveLength(1)
  })

  it('refresh() fetches once while stopped; nothing polls on its own', async () => {
    const timers = manualTimers()
    const p = make({ timers })
    p.setSymbols(['A'])
    p.refresh()
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    expect(timers.pending()).toBe(0)
    expect(server.requests).toHaveLength(1)
  })

  it('two pollers on one QueryClient and connection name keep their own symbols', async () => {
    const a = make({ timers: manualTimers() })
    const second: PolledSnapshot[] = []
    const b = createPoller({
      queryClient,
      connection: 'default',
      restUrl: server.url,
      intervalMs: 1000,
      timers: manualTimers(),
      onSnapshot: (snapshot) => second.push(snapshot),
      onError: () => {},
    })
    a.setSymbols(['A'])
    b.setSymbols(['B'])
    a.start()
    b.start()
    await vi.waitFor(() => expect(snapshots).toHaveLength(1))
    await vi.waitFor(() => expect(second).toHaveLength(1))
    expect(Object.keys(snapshots[0]?.prices ?? {})).toEqual(['A'])
    expect(Object.keys(second[0]?.prices ?? {})).toEqual(['B'])
    b.destroy()
  })
})

describe('REST fallback through the manager', () => {
  let rest: RestTestServer
  let manager: StreamManager | undefined
  let ws: TestServer | undefined

  beforeEach(async () => {
    rest = await startRestServer()
  })
  afterEach(async () => {
    manager?.destroy()
    manager = undefined
    await ws?.close()
    ws = undefined
    focusManager.setFocused(undefined)
    await rest.close()
  })

  const until = async (predicate: () => boolean, timeoutMs = 5_000): Promise<void> => {
    await vi.waitFor(() => expect(predicate()).toBe(true), { timeout: timeoutMs, interval: 5 })
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  /** A port nothing listens on: the WebSocket is refused at the TCP level. */
  async function refusedPort(): Promise<number> {
    const probe = await createTestServer()
    const { port } = probe
    await probe.close()
    return port
  }

  function make(port: number, extra: Partial<ConnectionConfig> = {}): StreamManager {
    manager = createStreamManager({
      url: `ws://127.0.0.1:${port}`,
      WebSocket: WS,
      restUrl: rest.url,
      fallbackAfterFailures: 3,
      fallbackIntervalMs: 300,
      reconnect: { initialDelayMs: 20, maxDelayMs: 40, jitter: 0 },
      throttleMs: 0,
      ...extra,
    })
    return manager
  }

  it('engages after the set number of failed attempts, polls at the interval, stops when the socket opens', async () => {
    const port = await refusedPort()
    // Counts attempts, and how many had been made when the status became `fallback`.
    let attempts = 0
    let attemptsAtFallback = -1
    class CountingWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols)
        attempts++
      }
    }
    const m = make(port, { WebSocket: CountingWebSocket })
    // When the last status before `fallback` was reported: a loop turn before the poller
    // started, so a lower bound of its interval's start (see "polls on real timers").
    let beforeFallback = 0
    m.on('status', (event) => {
      if (event.newState === 'fallback' && attemptsAtFallback === -1) attemptsAtFallback = attempts
      if (attemptsAtFallback === -1) beforeFallback = Date.now()
    })
    m.subscribe(['BTC-USD', 'ETH-USD'])
    await until(() => m.store.getState().connections['default']?.status === 'fallback')
    expect(attemptsAtFallback).toBe(3)
    const info = m.store.getState().connections['default']
    expect(info?.fallback).toMatchObject({ active: true, reason: 'failures' })
    // No poll before the third failure; the first one goes out at once after it.
    const engagedAt = Date.now()
    await until(() => rest.requests.length >= 1)
    expect(Date.now() - engagedAt).toBeLessThan(200)
    await until(() => m.store.getState().prices['BTC-USD']?.source === 'poll')
    expect(m.store.getState().prices['ETH-USD']).toMatchObject({
      price: 100,
      seq: 1,
      source: 'poll',
    })

    await until(() => rest.requests.length >= 4, 3_000)
    // At the interval, never faster: request k no sooner than k intervals after polling began.
    // Gaps between arrivals are no measure on a loaded machine: one late request followed by
    // one on time made a gap of 229 ms at a 300 ms interval.
    rest.requests
      .slice(0, 4)
      .forEach((r, k) =>
        expect(r.at - beforeFallback).toBeGreaterThanOrEqual(k * 300 - CLOCK_SLACK_MS),
      )
    expect(rest.requests.every((r) => [...r.symbols].sort().join() === 'BTC-USD,ETH-USD')).toBe(
      true,
    )

    // The feed comes back on the same port: the next background attempt opens and polling stops.
    ws = await createTestServer({ port })
    await until(() => m.store.getState().connections['default']?.status === 'open', 3_000)
    const openedAt = Date.now()
    expect(m.store.getState().connections['default']?.fallback.active).toBe(false)
    await sleep(600)
    expect(rest.requests.filter((r) => r.at > openedAt)).toEqual([])
    await until(() => m.store.getState().prices['BTC-USD']?.source === 'stream')
  })

  it('engages at once when no WebSocket can be made at all', async () => {
    manager = createStreamManager({
      url: 'ws://127.0.0.1:1',
      WebSocket: (() => {
        throw new Error('no sockets here')
      }) as unknown as ConnectionConfig['WebSocket'] & object,
      restUrl: rest.url,
      fallbackIntervalMs: 200,
      throttleMs: 0,
    })
    const m = manager
    m.subscribe(['A'])
    await until(() => m.store.getState().connections['default']?.fallback.active === true)
    expect(m.store.getState().connections['default']?.fallback.reason).toBe('no_websocket')
    await until(() => m.store.getState().prices['A']?.source === 'poll')
  })

  it('never regresses a price: an older polled seq, or the same seq with an older ts, is not applied', async () => {
    ws = await createTestServer()
    const server = ws
    const m = make(server.port)
    m.subscribe(['X'])
    await until(() => m.store.getState().prices['X'] !== undefined)
    server.send(server.delta('X', { price: 200 }))
    await until(() => m.store.getState().prices['X']?.price === 200)
    const streamed = m.store.getState().prices['X']
    const seq = streamed?.seq ?? -1
    const ts = streamed?.ts ?? 0

    let answer: { seq: number; ts: number; price: number } = {
      seq: seq - 1,
      ts: Date.now() + 60_000,
      price: 50,
    }
    rest.answer = () => ({
      body: { prices: { X: { seq: answer.seq, ts: answer.ts, data: { price: answer.price } } } },
    })
    server.refuse('reject')
    server.dropAll()
    await until(() => m.store.getState().connections['default']?.status === 'fallback')
    await until(() => rest.requests.length >= 2)
    expect(m.store.getState().prices['X']).toMatchObject({ price: 200, seq, source: 'stream' })

    answer = { seq, ts: ts - 1, price: 60 }
    const before = rest.requests.length
    await until(() => rest.requests.length >= before + 2)
    expect(m.store.getState().prices['X']).toMatchObject({ price: 200, seq, source: 'stream' })

    answer = { seq, ts: ts + 1, price: 70 }
    await until(() => m.store.getState().prices['X']?.price === 70)
    expect(m.store.getState().prices['X']).toMatchObject({ seq, source: 'poll' })

    answer = { seq: seq + 5, ts: ts + 2, price: 300 }
    await until(() => m.store.getState().prices['X']?.price === 300)
    expect(m.store.getState().prices['X']).toMatchObject({ seq: seq + 5, source: 'poll' })
  })

  it('in fallback, a hidden page pauses polling and a visible page refreshes at once', async () => {
    const port = await refusedPort()
    const m = make(port, { fallbackIntervalMs: 150 })
    m.subscribe(['A'])
    await until(() => rest.requests.length >= 1)
    focusManager.setFocused(false)
    await sleep(50)
    const hiddenAt = rest.requests.length
    await sleep(400)
    expect(rest.requests.length).toBe(hiddenAt)
    const visibleAt = Date.now()
    focusManager.setFocused(true)
    await until(() => rest.requests.length > hiddenAt)
    expect((rest.requests[hiddenAt]?.at ?? Infinity) - visibleAt).toBeLessThan(100)
  })
})
