import { describe, expect, it } from 'vitest'
import { createFeedServer, createMarket, DEFAULT_SYMBOLS, generateSymbols } from '../../src/server'
import { connect, flatten } from './client'

describe('simulated market', () => {
  it('has at least 100 default symbols with well-known crypto and stocks', () => {
    expect(DEFAULT_SYMBOLS.length).toBeGreaterThanOrEqual(100)
    expect(new Set(DEFAULT_SYMBOLS).size).toBe(DEFAULT_SYMBOLS.length)
    for (const s of ['BTC-USD', 'ETH-USD', 'SOL-USD', 'AAPL', 'MSFT', 'NVDA'])
      expect(DEFAULT_SYMBOLS).toContain(s)
    const market = createMarket()
    expect(market.snapshot('BTC-USD')?.data.price).toBeGreaterThan(10_000)
    expect(market.snapshot('AAPL')?.data.price).toBeGreaterThan(50)
  })

  it('generates any number of distinct plausible names, the same every time', () => {
    const names = generateSymbols(300)
    expect(new Set(names).size).toBe(300)
    expect(names.slice(0, DEFAULT_SYMBOLS.length)).toEqual(DEFAULT_SYMBOLS)
    expect(generateSymbols(300)).toEqual(names)
    for (const name of names.slice(DEFAULT_SYMBOLS.length)) expect(name).toMatch(/^[A-Z]{4}$/)
  })

  it('is deterministic for a seed and differs between seeds', () => {
    const run = (seed: number) => {
      const market = createMarket({ seed, now: () => 0 })
      return Array.from({ length: 50 }, () => market.step())
    }
    expect(run(42)).toEqual(run(42))
    expect(run(42)).not.toEqual(run(43))
  })

  it('moves a share of the symbols per step, keeping bid < ask and low <= price <= high', () => {
    const market = createMarket({ seed: 3, updateShare: 0.25 })
    const n = market.symbols.length
    const broken: string[] = []
    for (let i = 0; i < 300; i++) {
      const moves = market.step()
      if (moves.length !== Math.round(n * 0.25)) broken.push(`step ${i}: ${moves.length} moves`)
      for (const move of moves) {
        const d = market.snapshot(move.symbol)?.data
        const ok =
          d &&
          d.bid < d.ask &&
          d.price > 0 &&
          d.low24h <= d.price &&
          d.price <= d.high24h &&
          Number.isFinite(d.change24h) &&
          Number.isFinite(d.volume)
        if (!ok) broken.push(`step ${i}: ${move.symbol} ${JSON.stringify(d)}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('copes with an empty symbol list', () => {
    expect(createMarket({ symbols: [] }).step()).toEqual([])
  })

  it('gives stable made-up prices to names outside the catalogue', () => {
    const a = createMarket({ symbols: ['ZZZZ', 'FOO-USD'], seed: 1 })
    const b = createMarket({ symbols: ['ZZZZ', 'FOO-USD'], seed: 2 })
    expect(a.snapshot('ZZZZ')?.data.price).toBe(b.snapshot('ZZZZ')?.data.price)
    expect(a.snapshot('ZZZZ')?.data.price).toBeGreaterThanOrEqual(5)
  })

  it('lets a test predict what a server with the same seed sends', async () => {
    const server = await createFeedServer({
      port: 0,
      tickHz: 0,
      seed: 99,
      updateShare: 1,
      symbols: ['BTC-USD', 'AAPL'],
    })
    const twin = createMarket({ seed: 99, updateShare: 1, symbols: ['BTC-USD', 'AAPL'] })
    const client = await connect(server.url)
    try {
      client.send({ type: 'subscribe', id: 1, symbols: ['AAPL'] })
      await client.waitFor((m) => m.type === 'snapshot')
      for (let i = 0; i < 3; i++) server.tick()
      await client.waitFor((m) => m.type === 'delta' && m.seq === 3)
      const prices = flatten(client.messages)
        .filter((m) => m.type === 'delta')
        .map((m) => m.data?.price)
      const expected = [1, 2, 3].map(() => twin.step().find((m) => m.symbol === 'AAPL')?.data.price)
      expect(prices).toEqual(expected)
    } finally {
      await client.close()
      await server.close()
    }
  })
})
