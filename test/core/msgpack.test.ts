import { pack } from 'msgpackr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { createFeedServer } from '../../src/server/feedServer'
import { createTestServer } from '../helpers/testServer'
import type { TestServer } from '../helpers/testServer'

const WS = WebSocket

describe("encoding: 'msgpack' end to end", () => {
  let manager: StreamManager | undefined
  let server: TestServer | undefined

  afterEach(async () => {
    manager?.destroy()
    manager = undefined
    await server?.close()
    server = undefined
  })

  const until = async (predicate: () => boolean, timeoutMs = 5_000): Promise<void> => {
    await vi.waitFor(() => expect(predicate()).toBe(true), { timeout: timeoutMs, interval: 5 })
  }

  async function connect(
    pick: (offered: string[]) => string | false,
  ): Promise<{ offered: string[][]; m: StreamManager }> {
    const offered: string[][] = []
    server = await createTestServer({
      pickProtocol: (list) => {
        offered.push(list)
        return pick(list)
      },
    })
    manager = createStreamManager({
      url: server.url,
      WebSocket: WS,
      encoding: 'msgpack',
      throttleMs: 0,
    })
    return { offered, m: manager }
  }

  it('offers msgpack first and speaks binary MessagePack when the server picks it', async () => {
    const { offered, m } = await connect((list) => list[0] ?? false)
    m.subscribe(['BTC-USD'])
    await until(() => m.store.getState().prices['BTC-USD'] !== undefined)
    expect(offered[0]).toEqual(['tickwire.v1.msgpack', 'tickwire.v1.json'])
    const socket = server?.last
    expect(socket?.protocol).toBe('tickwire.v1.msgpack')
    expect(socket?.raw.length).toBeGreaterThan(0)
    expect(socket?.raw.every((frame) => Buffer.isBuffer(frame))).toBe(true)
    expect(socket?.received[0]).toEqual({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    server?.send(server.delta('BTC-USD', { price: 101.25, bid: 101 }))
    await until(() => m.store.getState().prices['BTC-USD']?.price === 101.25)
    expect(m.store.getState().prices['BTC-USD']).toMatchObject({ bid: 101, source: 'stream' })
    expect(m.getStats().invalid).toBe(0)
  })

  it('falls back to JSON text when the server picks JSON', async () => {
    const { offered, m } = await connect(() => 'tickwire.v1.json')
    m.subscribe(['ETH-USD'])
    await until(() => m.store.getState().prices['ETH-USD'] !== undefined)
    expect(offered[0]?.[0]).toBe('tickwire.v1.msgpack')
    const socket = server?.last
    expect(socket?.protocol).toBe('tickwire.v1.json')
    expect(socket?.raw.every((frame) => typeof frame === 'string')).toBe(true)
    expect(socket?.received[0]).toEqual({ type: 'subscribe', id: 1, symbols: ['ETH-USD'] })
  })

  it('decodes a binary frame as MessagePack and a text frame as JSON whatever was negotiated', async () => {
    const { m } = await connect(() => 'tickwire.v1.json')
    m.subscribe(['A'])
    await until(() => m.store.getState().prices['A'] !== undefined)
    const t = server as TestServer
    t.sendRaw(Buffer.from(pack(t.delta('A', { price: 7 }))))
    await until(() => m.store.getState().prices['A']?.price === 7)
    t.sendRaw(JSON.stringify(t.delta('A', { price: 8 })))
    await until(() => m.store.getState().prices['A']?.price === 8)
    t.sendRaw(Buffer.from([0xc1]))
    await until(() => m.getStats().invalid === 1)
    expect(m.store.getState().prices['A']?.price).toBe(8)
  })

  it('streams from the reference feed server over msgpack', async () => {
    const feed = await createFeedServer({ tickHz: 0 })
    try {
      manager = createStreamManager({
        url: feed.url,
        WebSocket: WS,
        encoding: 'msgpack',
        throttleMs: 0,
      })
      const m = manager
      m.subscribe(['BTC-USD', 'ETH-USD'])
      await until(
        () =>
          m.store.getState().prices['ETH-USD'] !== undefined &&
          m.store.getState().prices['BTC-USD'] !== undefined,
      )
      feed.publish('ETH-USD', { price: 4_242.5 })
      await until(() => m.store.getState().prices['ETH-USD']?.price === 4_242.5)
      expect(m.getStats().invalid).toBe(0)
      // MessagePack frames are smaller than the same messages as JSON text.
      expect(m.getStats().bytesIn).toBeGreaterThan(0)
    } finally {
      manager?.destroy()
      manager = undefined
      await feed.close()
    }
  })
})
