import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { emptyDiff, isEmptyDiff, type StreamDiff } from '../../src/core/prices/diff'
import { COUNTERS_INTERVAL_MS, createFrameScheduler } from '../../src/core/prices/frame-scheduler'
import type { ConnectionInfo, PriceTick } from '../../src/core/types'
import { countingTimers } from './timers.helper'

function tick(symbol: string, price: number): PriceTick {
  return {
    symbol,
    price,
    data: { price },
    seq: 0,
    ts: 0,
    receivedAt: 0,
    source: 'stream',
    stale: false,
    direction: null,
    connection: 'default',
  }
}

function setup(throttleMs: number) {
  const timers = countingTimers()
  const values = new Map<string, number>()
  const diffs: StreamDiff[] = []
  const info: ConnectionInfo = {
    status: 'open',
    attempt: 0,
    fallback: { active: false },
    stats: {
      messagesIn: 0,
      messagesOut: 0,
      bytesIn: 0,
      bytesOut: 0,
      dropped: 0,
      invalid: 0,
      reconnects: 0,
      errors: 0,
    },
  }
  const scheduler = createFrameScheduler({
    timers: timers.provider,
    throttleMs,
    collect: {
      price: (s) => (values.has(s) ? tick(s, values.get(s)!) : null),
      connection: () => ({ ...info }),
      symbolError: () => null,
    },
    apply: (d) => diffs.push(d),
  })
  const set = (s: string, v: number) => {
    values.set(s, v)
    scheduler.markPrice(s)
  }
  return { scheduler, diffs, set, timers, values }
}

describe('frame scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('coalesces changes into one diff per frame (16 ms timeout in Node)', () => {
    const { diffs, set, scheduler } = setup(0)
    set('A', 1)
    set('A', 2)
    set('B', 3)
    scheduler.markConnection('default')
    expect(diffs).toHaveLength(0)
    vi.advanceTimersByTime(16)
    expect(diffs).toHaveLength(1)
    expect(diffs[0]!.prices.A!.price).toBe(2)
    expect(diffs[0]!.prices.B!.price).toBe(3)
    expect(diffs[0]!.connections.default!.status).toBe('open')
  })

  it('the diff is plain data that survives structuredClone', () => {
    const { diffs, set } = setup(0)
    set('A', 1)
    vi.advanceTimersByTime(16)
    const diff = diffs[0]!
    expect(structuredClone(diff)).toEqual(JSON.parse(JSON.stringify(diff)))
  })

  it('throttle is leading and trailing: first change next frame, the latest when the window ends', () => {
    const { diffs, set } = setup(100)
    set('A', 1)
    vi.advanceTimersByTime(16)
    expect(diffs.map((d) => d.prices.A?.price)).toEqual([1])
    set('A', 2)
    vi.advanceTimersByTime(20)
    set('A', 3)
    vi.advanceTimersByTime(40)
    expect(diffs).toHaveLength(1)
    vi.advanceTimersByTime(100)
    expect(diffs.map((d) => d.prices.A?.price)).toEqual([1, 3])
    vi.advanceTimersByTime(1_000)
    expect(diffs).toHaveLength(2)
  })

  it('a stream of changes writes at most once per throttle window and ends at the last value', () => {
    const { diffs, set } = setup(100)
    for (let i = 1; i <= 1_000; i++) {
      set('A', i)
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(500)
    expect(diffs.length).toBeLessThanOrEqual(12)
    expect(diffs.length).toBeGreaterThanOrEqual(8)
    expect(diffs.at(-1)!.prices.A!.price).toBe(1_000)
  })

  it('throttles per symbol: another symbol is not held by the first one', () => {
    const { diffs, set } = setup(100)
    set('A', 1)
    vi.advanceTimersByTime(16)
    set('A', 2)
    set('B', 1)
    vi.advanceTimersByTime(16)
    expect(Object.keys(diffs[1]!.prices)).toEqual(['B'])
  })

  it('markPriceNow bypasses the throttle; null removes', () => {
    const { diffs, set, scheduler, values } = setup(100)
    set('A', 1)
    vi.advanceTimersByTime(16)
    values.delete('A')
    scheduler.markPriceNow('A')
    vi.advanceTimersByTime(16)
    expect(diffs[1]!.prices.A).toBeNull()
  })

  it('destroy leaves no pending frame or timer', () => {
    const { set, scheduler, timers, diffs } = setup(100)
    set('A', 1)
    vi.advanceTimersByTime(16)
    set('A', 2)
    set('B', 2)
    expect(timers.pending).toBeGreaterThan(0)
    scheduler.destroy()
    expect(timers.pending).toBe(0)
    set('C', 1)
    expect(timers.pending).toBe(0)
    expect(diffs).toHaveLength(1)
  })

  it('emptyDiff / isEmptyDiff', () => {
    const d = emptyDiff()
    expect(isEmptyDiff(d)).toBe(true)
    d.symbolErrors.X = null
    expect(isEmptyDiff(d)).toBe(false)
  })
})

describe('frame scheduler: connection counters', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('counter-only marks write at most once per COUNTERS_INTERVAL_MS, leading and trailing; markConnection goes next frame', () => {
    const { scheduler, diffs } = setup(0)
    const infoWrites = () => diffs.filter((d) => d.connections.default !== undefined).length
    scheduler.markConnectionCounters('default')
    vi.advanceTimersByTime(16)
    expect(infoWrites()).toBe(1) // leading
    for (let t = 16; t < COUNTERS_INTERVAL_MS; t += 16) {
      scheduler.markConnectionCounters('default')
      vi.advanceTimersByTime(16)
    }
    expect(infoWrites()).toBe(1)
    vi.advanceTimersByTime(32)
    expect(infoWrites()).toBe(2) // trailing, when the interval ends
    scheduler.markConnectionCounters('default')
    scheduler.markConnection('default')
    vi.advanceTimersByTime(16)
    expect(infoWrites()).toBe(3) // a shown change does not wait
    vi.advanceTimersByTime(COUNTERS_INTERVAL_MS * 2)
    expect(infoWrites()).toBe(3) // and it carried the counters: nothing left to write
  })
})
