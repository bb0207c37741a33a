import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_SYMBOLS,
  JSON_SUBPROTOCOL,
  MSGPACK_SUBPROTOCOL,
  createFeedServer,
  type FeedServer,
  type FeedServerOptions,
} from '../../src/server'
import { flatten, type Msg } from './client'
import { connectWire, type WireClient } from './wire'

let server: FeedServer | undefined
const clients: WireClient[] = []

async function start(options: FeedServerOptions = {}): Promise<FeedServer> {
  server = await createFeedServer({ port: 0, host: '127.0.0.1', tickHz: 0, ...options })
  return server
}

async function open(protocol: string, offerDeflate: boolean): Promise<WireClient> {
  const client = await connectWire((server as FeedServer).url, [protocol], {
    perMessageDeflate: offerDeflate,
  })
  clients.push(client)
  return client
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await server?.close()
  server = undefined
})

const SYMBOLS = DEFAULT_SYMBOLS.slice(0, 40)
const prices = (messages: Msg[]) =>
  flatten(messages)
    .filter((m) => m.type === 'snapshot' || m.type === 'delta')
    .map(({ type, symbol, seq, data }) => ({ type, symbol, seq, data }))

/** Subscribes, pings, moves the market `ticks` times and waits for all of it to arrive. */
async function exchange(clientsNow: WireClient[], ticks: number): Promise<void> {
  for (const client of clientsNow) {
    client.ws.send(JSON.stringify({ type: 'subscribe', id: 1, symbols: SYMBOLS }))
    client.ws.send(JSON.stringify({ type: 'ping', ts: 1 }))
  }
  for (const client of clientsNow) {
    await client.until(
      () => flatten(client.messages).filter((m) => m.type === 'snapshot').length === SYMBOLS.length,
    )
    await client.until(() => client.messages.some((m) => m.type === 'pong'))
  }
  for (let i = 0; i < ticks; i++) (server as FeedServer).tick()
  const expected = (server as FeedServer).stats().framesSent / clientsNow.length
  for (const client of clientsNow) await client.until(() => client.messages.length === expected)
}

describe.each([
  ['JSON', JSON_SUBPROTOCOL],
  ['MessagePack', MSGPACK_SUBPROTOCOL],
])('permessage-deflate over %s', (_name, protocol) => {
  it('is negotiated with a client that offers it: big frames go compressed, tiny ones plain, data unchanged', async () => {
    await start()
    const deflating = await open(protocol, true)
    const plain = await open(protocol, false)
    expect(deflating.ws.extensions).toMatch(/^permessage-deflate/)
    expect(plain.ws.extensions).toBe('')

    await exchange([deflating, plain], 20)

    // Same prices, same order, whatever the compression.
    expect(prices(deflating.messages).length).toBeGreaterThan(SYMBOLS.length)
    expect(prices(deflating.messages)).toEqual(prices(plain.messages))

    const dataFrames = (c: WireClient) => c.frames.filter((f) => f.opcode === 1 || f.opcode === 2)
    // The snapshot batch of 40 symbols is far above the threshold: compressed.
    expect(dataFrames(deflating).some((f) => f.compressed && f.wireBytes > 0)).toBe(true)
    // The pong is a few dozen bytes: under the threshold, so sent as it is.
    const pongIndex = deflating.messages.findIndex((m) => m.type === 'pong')
    expect(dataFrames(deflating)[pongIndex]?.compressed).toBe(false)
    // The client that did not offer it never gets a compressed frame.
    expect(plain.frames.some((f) => f.compressed)).toBe(false)
    expect(deflating.bytesRead()).toBeLessThan(plain.bytesRead())
  })
})

describe('compression option', () => {
  it('`compression: false` sends plain frames to a client that offers deflate', async () => {
    await start({ compression: false })
    const client = await open(JSON_SUBPROTOCOL, true)
    expect(client.ws.extensions).toBe('')
    await exchange([client], 5)
    expect(client.frames.some((f) => f.compressed)).toBe(false)
    expect(prices(client.messages).length).toBeGreaterThan(SYMBOLS.length)
  })

  it('`thresholdBytes` keeps frames below it uncompressed', async () => {
    await start({ compression: { thresholdBytes: 1_000_000 } })
    const client = await open(JSON_SUBPROTOCOL, true)
    // Negotiated, but no frame is big enough to be compressed.
    expect(client.ws.extensions).toMatch(/^permessage-deflate/)
    await exchange([client], 5)
    expect(client.frames.length).toBeGreaterThan(3)
    expect(client.frames.some((f) => f.compressed)).toBe(false)
  })

  it.each([
    [[] as string[], /^permessage-deflate/],
    [['--no-compression'], /^$/],
  ])('tickwire-feed %j negotiates accordingly', async (flags, extensions) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli.ts', '--port', '0', '--hz', '0', ...flags],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    try {
      let url: string | undefined
      for await (const line of createInterface({ input: child.stdout })) {
        url = /WebSocket\s+(ws:\S+)/.exec(line)?.[1]
        if (url) break
      }
      const client = await connectWire(url ?? 'ws://missing', [JSON_SUBPROTOCOL], {
        perMessageDeflate: true,
      })
      clients.push(client)
      expect(client.ws.extensions).toMatch(extensions)
      await client.close()
    } finally {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    }
  })
})
