import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  buildTick,
  createMergeState,
  directionOf,
  emptyData,
  safeCopy,
} from '../../src/core/prices/merge'

describe('merge: snapshots and deltas (PROTOCOL.md 3.2, 3.3)', () => {
  it('a snapshot replaces the whole state whatever its seq (a restarted server starts at 0)', () => {
    const m = createMergeState()
    expect(m.snapshot('A', 41, 1000, { price: 10, bid: 9 }, 5)).toBe('applied')
    expect(m.snapshot('A', 0, 2000, { price: 11 }, 6)).toBe('applied')
    const s = m.get('A')!
    expect(s.seq).toBe(0)
    expect({ ...s.data }).toEqual({ price: 11 })
  })

  it('MUST apply a delta only when seq is exactly the last applied seq + 1', () => {
    const m = createMergeState()
    m.snapshot('A', 1, 1, { price: 10, volume: 5 }, 1)
    expect(m.delta('A', 2, 2, { price: 11 }, 2)).toBe('applied')
    expect({ ...m.get('A')!.data }).toEqual({ price: 11, volume: 5 })
    expect(m.get('A')!.seq).toBe(2)
  })

  it('drops a delta at or below the last seq silently (duplicate or late)', () => {
    const m = createMergeState()
    m.snapshot('A', 5, 1, { price: 10 }, 1)
    expect(m.delta('A', 5, 2, { price: 99 }, 2)).toBe('duplicate')
    expect(m.delta('A', 3, 2, { price: 99 }, 2)).toBe('duplicate')
    expect(m.get('A')!.data.price).toBe(10)
  })

  it('a gap asks for exactly one resync and ignores deltas until the snapshot', () => {
    const m = createMergeState()
    m.snapshot('A', 1, 1, { price: 10 }, 1)
    expect(m.delta('A', 3, 2, { price: 12 }, 2)).toBe('resync')
    expect(m.delta('A', 4, 3, { price: 13 }, 3)).toBe('ignored')
    expect(m.delta('A', 2, 3, { price: 11 }, 3)).toBe('ignored')
    expect(m.get('A')!.data.price).toBe(10)
    expect(m.snapshot('A', 4, 4, { price: 13 }, 4)).toBe('applied')
    expect(m.delta('A', 5, 5, { price: 14 }, 5)).toBe('applied')
  })

  it('a delta with no snapshot yet is a gap', () => {
    const m = createMergeState()
    expect(m.delta('A', 7, 1, { price: 1 }, 1)).toBe('resync')
    expect(m.delta('A', 8, 1, { price: 1 }, 2)).toBe('ignored')
    expect(m.get('A')!.hasSnapshot).toBe(false)
  })

  it('resyncs again at most once per 5 s while no snapshot comes', () => {
    const m = createMergeState(5_000)
    m.snapshot('A', 1, 1, { price: 10 }, 0)
    m.delta('A', 3, 1, { price: 10 }, 1_000)
    expect(m.nextResyncAt()).toBe(6_000)
    expect(m.dueResyncs(5_999)).toEqual([])
    expect(m.dueResyncs(6_000)).toEqual(['A'])
    expect(m.dueResyncs(6_001)).toEqual([])
    expect(m.nextResyncAt()).toBe(11_000)
    m.snapshot('A', 9, 1, { price: 10 }, 7_000)
    expect(m.nextResyncAt()).toBe(Infinity)
  })

  it('the merge is shallow, copies own keys only and never writes __proto__, constructor or prototype', () => {
    const m = createMergeState()
    m.snapshot(
      'A',
      1,
      1,
      JSON.parse('{"price":1,"__proto__":{"polluted":true},"constructor":{"x":1}}') as Record<
        string,
        unknown
      >,
      1,
    )
    const inherited = Object.create({ inherited: 1 }) as Record<string, unknown>
    inherited.price = 2
    m.delta('A', 2, 2, inherited, 2)
    m.delta(
      'A',
      3,
      3,
      JSON.parse('{"prototype":1,"volume":7,"__proto__":{"polluted":true}}') as Record<
        string,
        unknown
      >,
      3,
    )
    const data = m.get('A')!.data
    expect(Object.getPrototypeOf(data)).toBeNull()
    expect(Object.keys(data).sort()).toEqual(['price', 'volume'])
    expect(data.price).toBe(2)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it('uses the receive time when the message has no ts', () => {
    const m = createMergeState()
    m.snapshot('A', 1, undefined, { price: 1 }, 1234)
    expect(m.get('A')!.ts).toBe(1234)
    m.delta('A', 2, 99, { price: 1 }, 2000)
    expect(m.get('A')!.ts).toBe(99)
  })

  it('refuses a snapshot without a finite price and a delta with a bad one', () => {
    const m = createMergeState()
    expect(m.snapshot('A', 1, 1, { bid: 1 }, 1)).toBe('invalid')
    m.snapshot('A', 1, 1, { price: 1 }, 1)
    expect(m.delta('A', 2, 1, { price: Number.NaN }, 1)).toBe('invalid')
    expect(m.get('A')!.seq).toBe(1)
  })

  it('clearGap forgets a waiting gap; remove forgets the symbol', () => {
    const m = createMergeState()
    m.snapshot('A', 1, 1, { price: 1 }, 1)
    m.delta('A', 5, 1, { price: 1 }, 1)
    m.clearGap('A')
    expect(m.nextResyncAt()).toBe(Infinity)
    expect(m.delta('A', 2, 1, { price: 2 }, 1)).toBe('applied')
    m.remove('A')
    expect(m.get('A')).toBeUndefined()
  })

  it('property: any delta order ends at the state of the in-order prefix that applied', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 40 }), (seqs) => {
        const m = createMergeState()
        m.snapshot('A', 0, 0, { price: 0 }, 0)
        let expected = 0
        let gapped = false
        for (const seq of seqs) {
          const r = m.delta('A', seq, seq, { price: seq }, 0)
          if (!gapped && seq === expected + 1) {
            expect(r).toBe('applied')
            expected = seq
          } else if (!gapped && seq > expected + 1) {
            expect(r).toBe('resync')
            gapped = true
          } else if (!gapped) {
            expect(r).toBe('duplicate')
          } else {
            expect(r).toBe('ignored')
          }
        }
        expect(m.get('A')!.seq).toBe(expected)
        expect(m.get('A')!.data.price).toBe(expected)
      }),
    )
  })
})

describe('merge: REST snapshots (PROTOCOL.md 5)', () => {
  it('a polled snapshot applies with no value, a greater seq, or an equal seq and newer ts', () => {
    const m = createMergeState()
    expect(m.polled('A', 5, 100, { price: 1 }, 1)).toBe('applied')
    expect(m.get('A')!.source).toBe('poll')
    expect(m.polled('A', 4, 500, { price: 2 }, 2)).toBe('ignored')
    expect(m.polled('A', 5, 100, { price: 2 }, 2)).toBe('ignored')
    expect(m.polled('A', 5, undefined, { price: 2 }, 2)).toBe('ignored')
    expect(m.polled('A', 5, 101, { price: 3 }, 3)).toBe('applied')
    expect(m.polled('A', 6, 50, { price: 4 }, 4)).toBe('applied')
    expect(m.get('A')!.data.price).toBe(4)
    m.snapshot('A', 6, 60, { price: 5 }, 5)
    expect(m.polled('A', 6, 60, { price: 6 }, 6)).toBe('ignored')
    expect(m.get('A')!.source).toBe('stream')
  })
})

describe('buildTick', () => {
  it('lifts the price fields, copies data, and sets direction against the previously shown price', () => {
    const m = createMergeState()
    m.snapshot(
      'A',
      1,
      10,
      { price: 10, bid: 9, ask: 11, volume: 3, change24h: 1.5, high24h: 12, low24h: 8, note: 'x' },
      20,
    )
    const first = buildTick(m.get('A')!, 'default')
    expect(first).toMatchObject({
      symbol: 'A',
      price: 10,
      bid: 9,
      ask: 11,
      volume: 3,
      change24h: 1.5,
      high24h: 12,
      low24h: 8,
      seq: 1,
      ts: 10,
      receivedAt: 20,
      source: 'stream',
      stale: false,
      direction: null,
      connection: 'default',
    })
    expect(first.data.note).toBe('x')
    m.delta('A', 2, 11, { price: 12 }, 21)
    // Copy on write: the shown tick's data is never changed by a later delta.
    expect(first.data).not.toBe(m.get('A')!.data)
    const up = buildTick(m.get('A')!, 'default')
    expect(up.direction).toBe('up')
    expect(first.price).toBe(10)
    expect(first.data.price).toBe(10)
    m.delta('A', 3, 12, { price: 11 }, 22)
    const down = buildTick(m.get('A')!, 'default')
    expect(down.direction).toBe('down')
    m.delta('A', 4, 13, { volume: 4 }, 23)
    expect(buildTick(m.get('A')!, 'default').direction).toBe(null)
    expect(buildTick(m.get('A')!, 'default', 'cache').source).toBe('cache')
  })

  it('directionOf', () => {
    expect(directionOf(undefined, 1)).toBeNull()
    expect(directionOf(1, 1)).toBeNull()
    expect(directionOf(1, 2)).toBe('up')
    expect(directionOf(2, 1)).toBe('down')
  })

  it('copies data on the first delta after a tick was built, and only then', () => {
    const m = createMergeState()
    m.snapshot('A', 1, 1, { price: 1 }, 1)
    const before = m.get('A')!.data
    m.delta('A', 2, 1, { price: 2 }, 1)
    expect(m.get('A')!.data).toBe(before)
    const tick = buildTick(m.get('A')!, 'c')
    expect(tick.data).toBe(before)
    m.delta('A', 3, 1, { price: 3 }, 1)
    const copied = m.get('A')!.data
    expect(copied).not.toBe(before)
    m.delta('A', 4, 1, { price: 4 }, 1)
    expect(m.get('A')!.data).toBe(copied)
    expect(tick.data.price).toBe(2)
    expect(Object.getPrototypeOf(copied)).toBeNull()
  })

  it('safeCopy returns a null-prototype object', () => {
    const copy = safeCopy({ a: 1 })
    expect(Object.getPrototypeOf(copy)).toBeNull()
    expect(copy.a).toBe(1)
  })

  it('emptyData, the fast-mode store for price data, inherits nothing, as Object.create(null)', () => {
    const data = emptyData()
    expect(Object.getPrototypeOf(data)).toBeNull()
    expect('toString' in data).toBe(false)
    expect('__proto__' in data).toBe(false)
    // The state of a symbol seen without a snapshot starts from it too.
    const m = createMergeState()
    m.delta('A', 1, 1, { price: 1 }, 1)
    expect(Object.getPrototypeOf(m.get('A')!.data)).toBeNull()
  })
})
