import { describe, expect, it } from 'vitest'
import type { StreamManagerConfig } from '../../src/core/config'
import { defaultRoute, resolveConnectionConfigs } from '../../src/core/routing'
import { isValidSymbol } from '../../src/core/protocols/tickwire'
import { emptyStats, sumStats } from '../../src/core/connection/stats'

describe('manager config', () => {
  it('the url shorthand is one connection named default with the ConnectionConfig keys beside it', () => {
    const getToken = () => 't'
    const configs = resolveConnectionConfigs({
      url: 'ws://x',
      lazy: true,
      getToken,
      reconnect: { maxAttempts: 3 },
      throttleMs: 50,
      cacheTtlMs: 1,
      autoStart: false,
    })
    expect(Object.keys(configs)).toEqual(['default'])
    expect(configs.default).toEqual({
      url: 'ws://x',
      lazy: true,
      getToken,
      reconnect: { maxAttempts: 3 },
    })
  })

  it('connections are taken as given; a config with neither url nor connections is refused', () => {
    const connections = { a: { url: 'ws://a' }, b: { url: 'ws://b' } }
    expect(resolveConnectionConfigs({ connections })).toBe(connections)
    expect(() => resolveConnectionConfigs({} as StreamManagerConfig)).toThrow(TypeError)
    expect(() => resolveConnectionConfigs({ connections: {} })).toThrow(TypeError)
    expect(() =>
      resolveConnectionConfigs({ connections: JSON.parse('{"__proto__":{"url":"ws://p"}}') }),
    ).toThrow(TypeError)
  })

  it('routes to default, else to the only connection, else nowhere', () => {
    expect(defaultRoute(['default', 'b'])).toBe('default')
    expect(defaultRoute(['only'])).toBe('only')
    expect(defaultRoute(['a', 'b'])).toBeUndefined()
  })

  it('symbols are non-empty strings that cannot reach a prototype', () => {
    expect(['A', '', '__proto__', 'constructor', 'prototype', 1].map(isValidSymbol)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ])
  })

  it('sums statistics and keeps the latest times', () => {
    const zero = emptyStats()
    const sum = sumStats([
      { ...zero, messagesIn: 2, invalid: 1, lastMessageAt: 5 },
      { ...zero, messagesIn: 3, errors: 4, lastMessageAt: 9, connectedAt: 1 },
    ])
    expect(sum).toEqual({
      ...zero,
      messagesIn: 5,
      invalid: 1,
      errors: 4,
      lastMessageAt: 9,
      connectedAt: 1,
    })
    expect(sumStats([])).toEqual(zero)
  })
})
