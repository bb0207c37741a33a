import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPriceBook, type PriceBookOptions } from '../../src/core/prices/price-book'
import { countingTimers } from './timers.helper'

function setup(overrides: Partial<PriceBookOptions> = {}) {
  const timers = countingTimers()
  const marks: string[] = []
  const resyncs: [string, string[]][] = []
  const book = createPriceBook({
    timers: timers.provider,
    staleAfterMs: 10_000,
    cacheTtlMs: 5_000,
    scheduler: {
      markPrice: (s) => marks.push(`price:${s}`),
      markPriceNow: (s) => marks.push(`now:${s}`),
      markSymbolError: (s) => marks.push(`error:${s}`),
      forget: (s) => marks.push(`forget:${s}`),
    },
    resync: (c, s) => resyncs.push([c, s]),
    onError: () => {},
    ...overrides,
  })
  const snap = (symbol: string, seq: number, price: number) =>
    book.apply('c', 'snapshot', symbol, seq, undefined, { price }, Date.now())
  const delta = (symbol: string, seq: number, price: number) =>
    book.apply('c', 'delta', symbol, seq, undefined, { price }, Date.now())
  return { book, marks, resyncs, timers, snap, delta }
}

describe('price book', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('the gaps of one task go out as one resync call', async () => {
    const { book, resyncs, snap, delta } = setup()
    book.wantedChanged({ connection: 'c', acquired: ['A', 'B'], added: ['A', 'B'], removed: [] })
    snap('A', 0, 1)
    snap('B', 0, 1)
    delta('A', 5, 1)
    delta('B', 5, 1)
    delta('A', 6, 1)
    await Promise.resolve()
    expect(resyncs).toEqual([['c', ['A', 'B']]])
  })

  it('marks stale after staleAfterMs with one timer, and not cached symbols', () => {
    const { book, marks, timers, snap } = setup({ cacheTtlMs: 60_000 })
    book.wantedChanged({ connection: 'c', acquired: ['A', 'B'], added: ['A', 'B'], removed: [] })
    snap('A', 0, 1)
    snap('B', 0, 1)
    expect(timers.pending).toBe(1)
    book.wantedChanged({ connection: 'c', acquired: [], added: [], removed: ['B'] })
    marks.length = 0
    vi.advanceTimersByTime(10_000)
    expect(marks).toEqual(['now:A'])
    expect(book.tickFor('A')!.stale).toBe(true)
    expect(book.tickFor('B')!.stale).toBe(false)
  })

  it('keeps a released value for cacheTtlMs, shows it as cache when wanted again, drops it after', () => {
    const { book, marks, snap } = setup()
    book.wantedChanged({ connection: 'c', acquired: ['A'], added: ['A'], removed: [] })
    snap('A', 0, 1)
    book.wantedChanged({ connection: 'c', acquired: [], added: [], removed: ['A'] })
    vi.advanceTimersByTime(4_000)
    book.wantedChanged({ connection: 'c', acquired: ['A'], added: ['A'], removed: [] })
    expect(book.tickFor('A')!.source).toBe('cache')
    vi.advanceTimersByTime(2_000)
    expect(book.tickFor('A')).toBeDefined()
    snap('A', 0, 2)
    expect(book.tickFor('A')!.source).toBe('stream')
    book.wantedChanged({ connection: 'c', acquired: [], added: [], removed: ['A'] })
    marks.length = 0
    vi.advanceTimersByTime(5_000)
    expect(marks).toEqual(['forget:A', 'now:A'])
    // Removed from the screen once, then nothing to write.
    expect(book.tickFor('A')).toBeNull()
    expect(book.tickFor('A')).toBeUndefined()
  })

  it('cacheTtlMs 0 drops the value at the unsubscribe', () => {
    const { book, snap } = setup({ cacheTtlMs: 0 })
    book.wantedChanged({ connection: 'c', acquired: ['A'], added: ['A'], removed: [] })
    snap('A', 0, 1)
    expect(book.tickFor('A')).toBeDefined()
    book.wantedChanged({ connection: 'c', acquired: [], added: [], removed: ['A'] })
    expect(book.tickFor('A')).toBeNull()
  })

  it('errors stand for the symbols given and a new want clears them', () => {
    const { book } = setup()
    expect(book.setErrors(['X'], { code: 'unknown_symbol', message: 'm' })).toBe(true)
    expect(book.hasError('X')).toBe(true)
    expect(book.hasError('Y')).toBe(false)
    book.wantedChanged({ connection: 'c', acquired: [], added: [], removed: ['X'] })
    expect(book.errorFor('X')).toEqual({ code: 'unknown_symbol', message: 'm' })
    book.wantedChanged({ connection: 'c', acquired: ['X'], added: ['X'], removed: [] })
    expect(book.errorFor('X')).toBeNull()
  })

  it('destroy clears the timer', () => {
    const { book, timers, snap } = setup()
    book.wantedChanged({ connection: 'c', acquired: ['A'], added: ['A'], removed: [] })
    snap('A', 0, 1)
    expect(timers.pending).toBe(1)
    book.destroy()
    expect(timers.pending).toBe(0)
  })
})
