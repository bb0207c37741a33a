/**
 * The engine entry in plain Node (no Worker, as in SSR and jsdom): a worker engine asked for
 * here runs on the main thread with exactly one warning and streams from a real feed server.
 * Also the pure parts the browser tests rely on: which options cross into a worker, and the
 * per-frame diff derived from two store states.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import {
  applyDiff,
  createStreamStore,
  tickwireProtocol,
  type StreamState,
} from '../../src/core/index'
import { createEngineManager, engineProtocol } from '../../src/core/engine/index'
import { diffStates } from '../../src/core/engine/diff'
import { splitConfig } from '../../src/core/engine/wire-config'
import { createFeedServer } from '../../src/server/index'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createEngineManager without Worker', () => {
  it('runs on the main thread with one warning that says why, and streams', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const server = await createFeedServer({ tickHz: 20, updateShare: 1 })
    const manager = createEngineManager({ url: server.url, engine: 'worker', WebSocket })
    try {
      expect(manager.engine).toBe('main')
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0]?.[0])).toContain("engine: 'worker' needs Worker")
      manager.subscribe(['BTC-USD'])
      await vi.waitFor(
        () => expect(manager.store.getState().prices['BTC-USD']?.price).toBeGreaterThan(0),
        {
          timeout: 5_000,
        },
      )
    } finally {
      manager.destroy()
      await server.close()
    }
  })

  it("engine: 'main' warns about nothing", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const manager = createEngineManager({ url: 'ws://127.0.0.1:9/ws', autoStart: false })
    expect(manager.engine).toBe('main')
    manager.destroy()
    expect(warn).not.toHaveBeenCalled()
  })
})

describe('splitConfig', () => {
  it('keeps callbacks in the tab and names built-in adapters across', () => {
    const getToken = () => 'token'
    const split = splitConfig({
      connections: {
        prices: {
          url: 'ws://a/ws',
          getToken,
          protocol: engineProtocol({ name: 'binance', options: { streams: ['bookTicker'] } }),
        },
      },
      throttleMs: 0,
    })
    if ('blocked' in split) throw new Error(split.blocked)
    expect(split.wire).toEqual({
      options: { throttleMs: 0 },
      connections: {
        prices: {
          url: 'ws://a/ws',
          getToken: true,
          protocol: { name: 'binance', options: { streams: ['bookTicker'] } },
        },
      },
    })
    expect(split.local['prices']?.getToken).toBe(getToken)
    expect(() => structuredClone(split.wire)).not.toThrow()
  })

  it('names the option that cannot cross', () => {
    expect(splitConfig({ url: 'ws://a/ws', protocol: tickwireProtocol() })).toMatchObject({
      blocked: 'protocol',
    })
    expect(splitConfig({ connections: { orders: { url: 'ws://a/ws', WebSocket } } })).toMatchObject(
      {
        blocked: 'orders.WebSocket',
      },
    )
    expect(splitConfig({ url: 'ws://a/ws', random: Math.random })).toMatchObject({
      blocked: 'random',
    })
  })
})

describe('diffStates', () => {
  const tick = (symbol: string, seq: number) => ({
    symbol,
    price: seq,
    data: {},
    seq,
    ts: seq,
    receivedAt: seq,
    source: 'stream' as const,
    stale: false,
    direction: null,
    connection: 'default',
  })

  it('names what changed, nulls what left, and applying it reproduces the next state', () => {
    const a = tick('A', 1)
    const prev: StreamState = {
      prices: { A: a, B: tick('B', 1) },
      symbolErrors: {},
      connections: {},
    }
    const next: StreamState = {
      prices: { A: a, C: tick('C', 1) },
      symbolErrors: { B: { code: 'unknown_symbol', message: 'unknown symbol' } },
      connections: {},
    }
    const diff = diffStates(prev, next)
    expect({ ...diff.prices }).toEqual({ B: null, C: next.prices['C'] })
    expect({ ...diff.symbolErrors }).toEqual({ B: next.symbolErrors['B'] })
    const store = createStreamStore()
    store.setState(prev)
    applyDiff(store, structuredClone(diff))
    expect(store.getState()).toEqual(next)
    // Unchanged entries keep their identity, so their selectors see nothing new.
    expect(store.getState().prices['A']).toBe(a)
  })
})
