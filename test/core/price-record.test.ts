import { describe, expect, it } from 'vitest'
import { applyDiff, emptyDiff } from '../../src/core/prices/diff'
import {
  changedPrices,
  emptyPriceRecord,
  isPriceRecord,
  priceRecordWork,
  writePrices,
  type PriceRecord,
} from '../../src/core/prices/price-record'
import { createStreamStore } from '../../src/core/prices/store'
import type { PriceTick } from '../../src/core/types'
import { priceTick } from '../helpers/priceTick'

const tick = (symbol: string, price: number): PriceTick => priceTick(symbol, price, { seq: price })

/** A record holding `count` symbols S0..S(count-1) at price 0. */
function held(count: number): PriceRecord {
  const changes: Record<string, PriceTick> = {}
  for (let i = 0; i < count; i++) changes[`S${i}`] = tick(`S${i}`, 0)
  return writePrices(emptyPriceRecord(), changes)
}

/** Changes `count` symbols starting at `from` to `price`. */
function frame(from: number, count: number, price: number): Record<string, PriceTick> {
  const changes: Record<string, PriceTick> = {}
  for (let i = from; i < from + count; i++) changes[`S${i}`] = tick(`S${i}`, price)
  return changes
}

describe('price record', () => {
  it('reads like a plain record: index, in, keys, entries, spread, JSON, for...in', () => {
    const record = writePrices(emptyPriceRecord(), {
      B: tick('B', 2),
      10: tick('10', 1),
      A: tick('A', 1),
    })
    expect(isPriceRecord(record)).toBe(true)
    expect(record.A?.price).toBe(1)
    expect('A' in record).toBe(true)
    expect('Z' in record).toBe(false)
    // Array-index keys first, then insertion order, as a plain object orders them.
    expect(Object.keys(record)).toEqual(['10', 'B', 'A'])
    expect(Object.entries(record).map(([key, value]) => [key, value.price])).toEqual([
      ['10', 1],
      ['B', 2],
      ['A', 1],
    ])
    const keys: string[] = []
    for (const key in record) keys.push(key)
    expect(keys).toEqual(['10', 'B', 'A'])
    expect({ ...record }).toEqual({ 10: tick('10', 1), B: tick('B', 2), A: tick('A', 1) })
    expect(JSON.parse(JSON.stringify(record))).toEqual(JSON.parse(JSON.stringify({ ...record })))
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
    expect(Object.prototype.hasOwnProperty.call(record, 'toString')).toBe(false)
  })

  it('is read-only, and says so', () => {
    const record = writePrices(emptyPriceRecord(), { A: tick('A', 1) }) as Record<string, PriceTick>
    expect(() => {
      record.A = tick('A', 2)
    }).toThrow(/read-only/)
    expect(() => delete record.A).toThrow(/read-only/)
    expect(() => Object.freeze(record)).toThrow(/read-only/)
    expect(() => structuredClone(record)).toThrow()
    expect(structuredClone({ ...record })).toEqual({ A: tick('A', 1) })
    expect(record.A?.price).toBe(1)
  })

  it('keys are data: __proto__, constructor and toString are symbols like any other', () => {
    /** A null-prototype diff, as the pipeline makes: `__proto__` is then an own key. */
    const diffOf = (price: number): Record<string, PriceTick> => {
      const changes = Object.create(null) as Record<string, PriceTick>
      for (const key of ['__proto__', 'constructor', 'toString']) changes[key] = tick(key, price)
      return changes
    }
    const first = writePrices(emptyPriceRecord(), diffOf(1))
    const second = writePrices(first, diffOf(2))
    for (const [record, price] of [
      [first, 1],
      [second, 2],
    ] as const) {
      expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toMatchObject({ price })
      expect(record['__proto__' as string]).toMatchObject({ price })
      expect(record.constructor).toMatchObject({ price })
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
      expect(Object.keys(record)).toEqual(['__proto__', 'constructor', 'toString'])
    }
    // Not held, a prototype member is what a plain record shows: never a tick, never own.
    const empty = emptyPriceRecord()
    expect(typeof empty.toString).toBe('function')
    expect(Object.prototype.hasOwnProperty.call(empty, 'toString')).toBe(false)
    expect(({} as Record<string, unknown>).price).toBeUndefined()
  })

  it('a record captured from an older state keeps its own values, however many writes follow', () => {
    const versions: PriceRecord[] = [held(10)]
    for (let price = 1; price <= 100; price++) {
      const previous = versions[versions.length - 1] as PriceRecord
      versions.push(
        writePrices(previous, {
          ...frame(price % 10, 1, price),
          [`N${price}`]: tick(`N${price}`, price),
        }),
      )
    }
    const removed = writePrices(versions[100] as PriceRecord, { S0: null, N1: null })
    versions.push(removed)
    // Read from the oldest first (walks the logs), then from a middle one, then iterate.
    expect((versions[0] as PriceRecord).S3?.price).toBe(0)
    expect('N1' in (versions[0] as PriceRecord)).toBe(false)
    expect((versions[50] as PriceRecord).S0?.price).toBe(50)
    expect((versions[50] as PriceRecord).N50?.price).toBe(50)
    expect((versions[50] as PriceRecord).N51).toBeUndefined()
    // Symbols removed since are listed after the others by an older view (sorted here).
    expect(Object.keys(versions[3] as PriceRecord).sort()).toEqual(
      [...Array.from({ length: 10 }, (_, i) => `S${i}`), 'N1', 'N2', 'N3'].sort(),
    )
    expect(removed.S0).toBeUndefined()
    expect((versions[100] as PriceRecord).S0?.price).toBe(100)
    expect(Object.keys(removed)).toHaveLength(10 + 100 - 2)
  })

  it('a write costs what it changes: 100 changes over 20,000 held copy nothing held', () => {
    let record = held(20_000)
    const kept = record
    const before = priceRecordWork.copied
    for (let round = 1; round <= 50; round++)
      record = writePrices(record, frame(round * 100, 100, round))
    // 5,000 changes logged, under the checkpoint (twice the held symbols): nothing was copied.
    expect(priceRecordWork.copied - before).toBe(0)
    expect(changedPrices(kept, record)).toHaveLength(5_000)
    const last = writePrices(record, frame(0, 100, 99))
    expect(changedPrices(record, last)).toHaveLength(100)
    expect(kept.S0?.price).toBe(0)
  })

  it('checkpoints keep what an old view holds bounded, at under one copied entry per change', () => {
    let record = held(1000)
    const oldest = record
    const before = priceRecordWork.copied
    let changes = 0
    for (let round = 1; round <= 400; round++) {
      record = writePrices(record, frame((round * 50) % 950, 50, round))
      changes += 50
    }
    const copied = priceRecordWork.copied - before
    expect(copied).toBeGreaterThan(0)
    expect(copied).toBeLessThan(changes)
    expect(oldest.S1?.price).toBe(0)
    expect(Object.values(oldest).every((value) => value.price === 0)).toBe(true)
  })

  it('changedPrices names added, replaced and removed symbols, also for plain objects', () => {
    const a = writePrices(emptyPriceRecord(), { A: tick('A', 1), B: tick('B', 1) })
    const b = writePrices(a, { A: tick('A', 2), C: tick('C', 1) })
    const c = writePrices(b, { C: null })
    expect(changedPrices(a, b).sort()).toEqual(['A', 'C'])
    expect(changedPrices(b, c)).toEqual(['C'])
    // Two writes apart: C came and went, so it is no change at all.
    expect(changedPrices(a, c)).toEqual(['A'])
    expect(changedPrices(c, a).sort()).toEqual(['A'])
    expect(changedPrices({ A: tick('A', 1) }, c).sort()).toEqual(['A', 'B'])
    expect(changedPrices(c, c)).toEqual([])
  })

  it('the store holds a record; a plain object set with setState is taken over on the next write', () => {
    const store = createStreamStore()
    expect(isPriceRecord(store.getState().prices)).toBe(true)
    store.setState({ prices: { X: tick('X', 1) } })
    const diff = emptyDiff()
    diff.prices.Y = tick('Y', 1)
    applyDiff(store, diff)
    expect(isPriceRecord(store.getState().prices)).toBe(true)
    expect(Object.keys(store.getState().prices)).toEqual(['X', 'Y'])
  })
})
