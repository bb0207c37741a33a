import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { backoffDelay } from '../../src/core/connection/backoff'

const defaults = { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.2 }

describe('backoffDelay (PROTOCOL.md section 4)', () => {
  test('without jitter it doubles from initialDelayMs: 1 s, 2 s, 4 s, ... capped at maxDelayMs', () => {
    const none = { ...defaults, jitter: 0 }
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, none, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ])
  })

  test('the random factor spans exactly [1 - jitter, 1 + jitter]', () => {
    expect(backoffDelay(0, defaults, () => 0)).toBeCloseTo(800, 6)
    expect(backoffDelay(0, defaults, () => 1)).toBeCloseTo(1200, 6)
    expect(backoffDelay(0, defaults, () => 0.5)).toBeCloseTo(1000, 6)
    expect(backoffDelay(10, defaults, () => 0)).toBeCloseTo(48_000, 6)
    expect(backoffDelay(10, defaults, () => 1)).toBeCloseTo(72_000, 6)
  })

  test('huge attempt numbers stay at the cap, never Infinity or NaN', () => {
    expect(backoffDelay(5000, { ...defaults, jitter: 0 }, () => 0.3)).toBe(60_000)
  })

  test('property: every delay lies in [min(max, init*2^n)*(1-j), ...*(1+j)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, init, max, jitter, r) => {
          const d = backoffDelay(n, { initialDelayMs: init, maxDelayMs: max, jitter }, () => r)
          const base = Math.min(max, init * 2 ** n)
          expect(d).toBeGreaterThanOrEqual(base * (1 - jitter) - 1e-6)
          expect(d).toBeLessThanOrEqual(base * (1 + jitter) + 1e-6)
        },
      ),
    )
  })
})
