import { afterEach, describe, expect, it, vi } from 'vitest'
import { framesOf, harness, type Harness } from './manager.helpers'

// Fake clocks and timers, real I/O: the socket and the server's waitFor (setImmediate) run for
// real, every timer of the manager and connection is advanced by hand.
const FAKE = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const,
}

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  vi.useRealTimers()
})

const price = (symbol: string) => h!.manager.store.getState().prices[symbol]
/** Waits on real I/O while moving the fake clock by one frame per turn. */
const settle = (predicate: () => boolean) =>
  h!.until(() => {
    vi.advanceTimersByTime(16)
    return predicate()
  })

/** Lets real I/O run for a while (setImmediate is not faked); no fake timer moves. */
const ioTurns = (n = 200) =>
  new Promise<void>((resolve) => {
    let i = 0
    const step = () => (++i >= n ? resolve() : setImmediate(step))
    setImmediate(step)
  })

describe('manager: timing with fake timers', () => {
  it('MUST send the resync again with no snapshot 5 s after it, at most once per 5 s per symbol', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    h = await harness({ throttleMs: 0, staleAfterMs: 0 })
    const { server, manager } = h
    manager.subscribe(['A'])
    await settle(() => price('A') !== undefined)
    server.delta('A', { price: 1 }) // lost: a gap
    server.send(server.delta('A', { price: 2 }))
    await h.until(() => framesOf(server, 'resync').length === 1)
    for (let i = 0; i < 4; i++) {
      server.send(server.delta('A', { price: 3 + i }))
      vi.advanceTimersByTime(1_000)
    }
    await ioTurns()
    expect(framesOf(server, 'resync')).toHaveLength(1)
    vi.advanceTimersByTime(1_000)
    await h.until(() => framesOf(server, 'resync').length === 2)
    vi.advanceTimersByTime(4_999)
    await ioTurns()
    expect(framesOf(server, 'resync')).toHaveLength(2)
    vi.advanceTimersByTime(1)
    await h.until(() => framesOf(server, 'resync').length === 3)
    server.send(server.snapshot('A', { price: 50 }))
    await settle(() => price('A')?.price === 50)
    vi.advanceTimersByTime(20_000)
    await ioTurns()
    expect(framesOf(server, 'resync')).toHaveLength(3)
    expect(framesOf(server, 'resync').every((f) => JSON.stringify(f.symbols) === '["A"]')).toBe(
      true,
    )
  })

  it('1,000 deltas for one symbol within one second reach the store at most ~12 times and end at the last value', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    h = await harness({ staleAfterMs: 0 })
    const { server, manager } = h
    manager.subscribe(['BTC-USD'])
    await settle(() => price('BTC-USD') !== undefined)
    vi.advanceTimersByTime(200)
    let writes = 0
    let last = price('BTC-USD')
    manager.store.subscribe((s) => {
      if (s.prices['BTC-USD'] !== last) {
        last = s.prices['BTC-USD']
        writes++
      }
    })
    // 100 bursts of 10 deltas, 10 ms of (fake) time apart: exactly 1,000 deltas in 1 s.
    const base = manager.getStats().messagesIn
    for (let burst = 0; burst < 100; burst++) {
      for (let i = 1; i <= 10; i++) server.send(server.delta('BTC-USD', { price: burst * 10 + i }))
      await h.until(() => manager.getStats().messagesIn === base + (burst + 1) * 10)
      vi.advanceTimersByTime(10)
    }
    vi.advanceTimersByTime(200)
    expect(price('BTC-USD')!.price).toBe(1_000)
    expect(writes).toBeLessThanOrEqual(12)
    expect(writes).toBeGreaterThanOrEqual(8)
  })

  it('a released value stays exactly cacheTtlMs after its unsubscribe, then leaves the store', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    h = await harness({ cacheTtlMs: 10_000, unsubscribeDelayMs: 1_000, staleAfterMs: 0 })
    const release = h.manager.subscribe(['A'])
    await settle(() => price('A') !== undefined)
    release()
    vi.advanceTimersByTime(1_000)
    await h.until(() => framesOf(h!.server, 'unsubscribe').length === 1)
    vi.advanceTimersByTime(9_990)
    expect(price('A')).toBeDefined()
    vi.advanceTimersByTime(10 + 16)
    expect(price('A')).toBeUndefined()
  })

  it('many symbols changing in one frame reach the store with one setState, unchanged ticks keep their identity', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    h = await harness({ staleAfterMs: 0 })
    const { server, manager } = h
    const symbols = Array.from({ length: 60 }, (_, i) => `M${i}`)
    manager.subscribe(symbols)
    await settle(() => symbols.every((s) => price(s) !== undefined))
    vi.advanceTimersByTime(200)
    const before = manager.store.getState()
    let writes = 0
    manager.store.subscribe(() => writes++)
    const base = manager.getStats().messagesIn
    server.send({
      type: 'batch',
      messages: symbols.slice(0, 50).map((s) => server.delta(s, { price: 7 })),
    })
    await h.until(() => manager.getStats().messagesIn === base + 1)
    vi.advanceTimersByTime(16)
    expect(writes).toBe(1)
    const after = manager.store.getState()
    expect(symbols.slice(0, 50).every((s) => after.prices[s]!.price === 7)).toBe(true)
    expect(symbols.slice(50).every((s) => after.prices[s] === before.prices[s])).toBe(true)
  })

  it('the last release sends its unsubscribe exactly unsubscribeDelayMs later', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    h = await harness({ unsubscribeDelayMs: 1_000 })
    const release = h.manager.subscribe(['A'])
    await settle(() => price('A') !== undefined)
    release()
    vi.advanceTimersByTime(999)
    await ioTurns()
    expect(framesOf(h.server, 'unsubscribe')).toHaveLength(0)
    vi.advanceTimersByTime(1)
    await h.until(() => framesOf(h!.server, 'unsubscribe').length === 1)
  })

  it('stale marks come from one sweep timer, not one timer per symbol', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    h = await harness({
      staleAfterMs: 1_000,
      heartbeatIntervalMs: 600_000,
      staleTimeoutMs: 600_000,
    })
    const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`)
    h.manager.subscribe(symbols)
    await settle(() => symbols.every((s) => price(s) !== undefined))
    vi.advanceTimersByTime(200) // let every throttle window close
    const pending = h.timers.pending
    expect(pending).toBeLessThanOrEqual(3) // heartbeat, stale-socket watch, one sweep
    vi.advanceTimersByTime(1_000)
    await settle(() => symbols.every((s) => price(s)!.stale))
  })
})
