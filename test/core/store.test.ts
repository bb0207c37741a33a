import { describe, expect, it } from 'vitest'
import { applyDiff, emptyDiff } from '../../src/core/prices/diff'
import {
  createStreamStore,
  selectConnection,
  selectPrice,
  selectSymbolError,
} from '../../src/core/prices/store'
import { worstStatus } from '../../src/core/status'
import type { ConnectionInfo, ConnectionStatus, PriceTick } from '../../src/core/types'
import { priceTick } from '../helpers/priceTick'

const tick = (symbol: string, price: number): PriceTick => priceTick(symbol, price)

const info = (status: ConnectionStatus): ConnectionInfo => ({
  status,
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
})

describe('store', () => {
  it('applies a diff with one setState and keeps the identity of what did not change', () => {
    const store = createStreamStore({ default: info('idle') })
    let calls = 0
    store.subscribe(() => calls++)
    const d1 = emptyDiff()
    d1.prices.A = tick('A', 1)
    d1.prices.B = tick('B', 1)
    d1.symbolErrors.X = { code: 'unknown_symbol', message: 'no' }
    applyDiff(store, d1)
    expect(calls).toBe(1)
    const before = store.getState()
    const d2 = emptyDiff()
    d2.prices.A = tick('A', 2)
    applyDiff(store, d2)
    expect(calls).toBe(2)
    const after = store.getState()
    expect(after.prices.B).toBe(before.prices.B)
    expect(after.symbolErrors).toBe(before.symbolErrors)
    expect(after.connections).toBe(before.connections)
    expect(selectPrice('A')(after)!.price).toBe(2)
  })

  it('an empty diff writes nothing; null removes', () => {
    const store = createStreamStore()
    let calls = 0
    store.subscribe(() => calls++)
    applyDiff(store, emptyDiff())
    expect(calls).toBe(0)
    const d = emptyDiff()
    d.prices.A = null
    applyDiff(store, d)
    expect(calls).toBe(0)
    d.prices.A = tick('A', 1)
    applyDiff(store, d)
    const r = emptyDiff()
    r.prices.A = null
    applyDiff(store, r)
    expect(store.getState().prices).toEqual({})
    expect(calls).toBe(2)
  })

  it('selectors read own keys only', () => {
    const store = createStreamStore({ default: info('open') })
    const s = store.getState()
    expect(selectPrice('toString')(s)).toBeUndefined()
    expect(selectConnection('default')(s)!.status).toBe('open')
    expect(selectConnection('nope')(s)).toBeUndefined()
    expect(selectSymbolError('constructor')(s)).toBeUndefined()
  })

  it('worstStatus orders error > offline > closed > reconnecting > fallback > connecting > open > idle', () => {
    const order: ConnectionStatus[] = [
      'error',
      'offline',
      'closed',
      'reconnecting',
      'fallback',
      'connecting',
      'open',
      'idle',
    ]
    for (let i = 0; i < order.length; i++) {
      const conns: Record<string, ConnectionInfo> = {}
      for (let j = i; j < order.length; j++) conns[`c${j}`] = info(order[j]!)
      expect(worstStatus(conns)).toBe(order[i])
    }
    expect(worstStatus({})).toBe('idle')
    // A lazy connection nobody needs yet does not make an open app look unfinished.
    expect(worstStatus({ prices: info('open'), orders: info('idle') })).toBe('open')
  })
})

describe('store: keys are data', () => {
  it('a __proto__ key in a diff becomes an own entry, first defined then assigned, never the prototype', () => {
    const store = createStreamStore()
    for (const price of [1, 2]) {
      const diff = emptyDiff()
      diff.prices['__proto__'] = tick('__proto__', price)
      diff.prices.A = tick('A', price)
      applyDiff(store, diff)
      const prices = store.getState().prices
      expect(Object.getPrototypeOf(prices)).toBe(Object.prototype)
      expect(Object.getOwnPropertyDescriptor(prices, '__proto__')?.value).toMatchObject({ price })
      expect(prices.A?.price).toBe(price)
    }
    expect(({} as Record<string, unknown>).price).toBeUndefined()
  })
})
