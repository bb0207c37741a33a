import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { createSubscriptions, type WantedChange } from '../../src/core/subscriptions/ref-counts'
import { countingTimers } from './timers.helper'

function setup(unsubscribeDelayMs = 1_000) {
  const timers = countingTimers()
  const changes: WantedChange[] = []
  const subs = createSubscriptions({
    timers: timers.provider,
    unsubscribeDelayMs,
    onChange: (c) => changes.push(c),
  })
  return { subs, changes, timers }
}

describe('subscriptions', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('two references of one symbol add it once and the second release removes it', () => {
    const { subs, changes } = setup(0)
    subs.acquire('default', ['BTC-USD'])
    subs.acquire('default', ['BTC-USD'])
    expect(changes).toEqual([
      { connection: 'default', acquired: ['BTC-USD'], added: ['BTC-USD'], removed: [] },
    ])
    subs.release('default', ['BTC-USD'])
    expect(changes).toHaveLength(1)
    expect(subs.isWanted('default', 'BTC-USD')).toBe(true)
    subs.release('default', ['BTC-USD'])
    expect(changes[1]).toEqual({
      connection: 'default',
      acquired: [],
      added: [],
      removed: ['BTC-USD'],
    })
    expect(subs.wanted('default')).toEqual([])
  })

  it('the last release takes effect only after unsubscribeDelayMs', () => {
    const { subs, changes, timers } = setup(1_000)
    subs.acquire('default', ['A', 'B'])
    subs.release('default', ['A', 'B'])
    expect(changes).toHaveLength(1)
    expect(subs.wanted('default').sort()).toEqual(['A', 'B'])
    expect(subs.refCount('default', 'A')).toBe(0)
    vi.advanceTimersByTime(999)
    expect(changes).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(
      changes
        .slice(1)
        .flatMap((c) => c.removed)
        .sort(),
    ).toEqual(['A', 'B'])
    expect(subs.wanted('default')).toEqual([])
    expect(timers.pending).toBe(0)
  })

  it('a want that returns within the delay cancels the release: nothing changes in the wanted set', () => {
    const { subs, changes, timers } = setup(1_000)
    subs.acquire('default', ['A'])
    subs.release('default', ['A'])
    vi.advanceTimersByTime(500)
    subs.acquire('default', ['A'])
    expect(changes[1]).toEqual({ connection: 'default', acquired: ['A'], added: [], removed: [] })
    expect(timers.pending).toBe(0)
    vi.advanceTimersByTime(5_000)
    expect(changes).toHaveLength(2)
    expect(subs.wanted('default')).toEqual(['A'])
  })

  it('a release of a symbol with no reference does nothing (idempotent releases)', () => {
    const { subs, changes } = setup(0)
    subs.release('default', ['A'])
    subs.acquire('default', ['A'])
    subs.release('default', ['A'])
    subs.release('default', ['A'])
    subs.acquire('default', ['A'])
    expect(changes.map((c) => [c.added, c.removed])).toEqual([
      [['A'], []],
      [[], ['A']],
      [['A'], []],
    ])
  })

  it('duplicate symbols in one call count once', () => {
    const { subs } = setup(0)
    subs.acquire('default', ['A', 'A'])
    expect(subs.refCount('default', 'A')).toBe(1)
    subs.release('default', ['A', 'A'])
    expect(subs.wanted('default')).toEqual([])
  })

  it('imperative references are released only by imperative releases', () => {
    const { subs } = setup(0)
    subs.acquire('default', ['A'], true)
    subs.release('default', ['A'])
    expect(subs.refCount('default', 'A')).toBe(1)
    subs.acquire('default', ['A'])
    subs.release('default', ['A'], true)
    subs.release('default', ['A'], true)
    expect(subs.refCount('default', 'A')).toBe(1)
    subs.release('default', ['A'])
    expect(subs.wanted('default')).toEqual([])
  })

  it('keeps connections apart', () => {
    const { subs } = setup(0)
    subs.acquire('a', ['X'])
    subs.acquire('b', ['Y'])
    expect(subs.wanted('a')).toEqual(['X'])
    expect(subs.wanted('b')).toEqual(['Y'])
    expect(subs.isWanted('a', 'Y')).toBe(false)
  })

  it('destroy cancels waiting releases', () => {
    const { subs, changes, timers } = setup(1_000)
    subs.acquire('default', ['A'])
    subs.release('default', ['A'])
    subs.destroy()
    expect(timers.pending).toBe(0)
    vi.advanceTimersByTime(2_000)
    expect(changes).toHaveLength(1)
    subs.acquire('default', ['B'])
    expect(changes).toHaveLength(1)
  })
})

describe('subscriptions: property', () => {
  it('any sequence of acquires and releases leaves wanted exactly the symbols with references', () => {
    const symbol = fc.constantFrom('A', 'B', 'C')
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('acquire' as const),
        symbols: fc.array(symbol, { maxLength: 3 }),
        imperative: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('release' as const), index: fc.nat(20) }),
      fc.record({
        kind: fc.constant('unsubscribePrices' as const),
        symbols: fc.array(symbol, { maxLength: 3 }),
      }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { subs, changes } = setup(0)
        const handles: { symbols: string[]; released: boolean }[] = []
        const model = new Map<string, { plain: number; imperative: number }>()
        const ref = (s: string) => model.get(s) ?? { plain: 0, imperative: 0 }
        for (const o of ops) {
          if (o.kind === 'acquire') {
            const distinct = [...new Set(o.symbols)]
            subs.acquire('c', o.symbols, o.imperative)
            for (const s of distinct) {
              const r = ref(s)
              model.set(
                s,
                o.imperative
                  ? { ...r, imperative: r.imperative + 1 }
                  : { ...r, plain: r.plain + 1 },
              )
            }
            if (!o.imperative) handles.push({ symbols: distinct, released: false })
          } else if (o.kind === 'release') {
            const handle = handles[o.index % Math.max(1, handles.length)]
            if (!handle || handle.released) continue
            handle.released = true
            subs.release('c', handle.symbols)
            for (const s of handle.symbols) model.set(s, { ...ref(s), plain: ref(s).plain - 1 })
          } else {
            subs.release('c', o.symbols, true)
            for (const s of new Set(o.symbols))
              model.set(s, { ...ref(s), imperative: Math.max(0, ref(s).imperative - 1) })
          }
        }
        const expected = [...model]
          .filter(([, r]) => r.plain + r.imperative > 0)
          .map(([s]) => s)
          .sort()
        expect(subs.wanted('c').sort()).toEqual(expected)
        // The changes replayed give the same set, and never add a symbol already in it.
        const replay = new Set<string>()
        for (const c of changes) {
          for (const s of c.added) {
            expect(replay.has(s)).toBe(false)
            replay.add(s)
          }
          for (const s of c.removed) {
            expect(replay.delete(s)).toBe(true)
          }
        }
        expect([...replay].sort()).toEqual(expected)
      }),
    )
  })
})
