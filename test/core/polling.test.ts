import { QueryClient, focusManager, onlineManager } from '@tanstack/query-core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultTimers } from '../../src/core/timers'
import type { TimerProvider } from '../../src/core/timers'
import { createPoller, validateSnapshot } from '../../src/core/transports/polling'
import type { PollerOptions } from '../../src/core/transports/polling'
import type { PolledSnapshot, Poller } from '../../src/core/transports/types'
import { startRestServer } from '../helpers/restServer'
import type { RestTestServer } from '../helpers/restServer'

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
    expect(snapshot.prices['A']).toEqual({ seq: 3, ts: 10, data: { price: 1, bid: 0.5, extra: 'kept' } })
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
    p.start()
    await new Promise((resolve) => setTimeout(resolve, 350))
    p.stop()
    expect(server.requests.length).toBeGreaterThanOrEqual(3)
    expect(server.requests.length).toBeLessThanOrEqual(5)
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
      return calls < 3 ? { status: 500 } : { body: { prices: { [symbols[0] ?? '']: { seq: 1, data: { price: 1 } } } } }
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
