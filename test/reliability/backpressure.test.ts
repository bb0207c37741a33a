/**
 * Queue and backpressure (issue 8): the offline queue is bounded and ordered, and a burst of
 * inbound deltas costs per-symbol state, not per-message memory.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebSocketConstructor } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { leakTimers } from '../helpers/leakTimers'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { fakeWebSocket, type FakeSocket } from './support/fakeSocket'

const WS = NodeWebSocket as unknown as WebSocketConstructor

let server: TestServer | undefined
let manager: StreamManager | undefined

afterEach(async () => {
  manager?.destroy()
  manager = undefined
  await server?.close()
  server = undefined
})

/**
 * A real `gc()` inside this worker: V8 accepts `--expose-gc` at run time, and a fresh context
 * created afterwards sees the function. Lets the burst test measure retained heap honestly.
 */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

function retainedHeap(gc: () => void): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

describe('offline queue', () => {
  it('10,000 send() calls while the server refuses keep exactly maxQueue frames, count the rest as dropped, and flush them in order after auth and subscribe', async () => {
    const s = await createTestServer()
    server = s
    s.refuse('reject') // every upgrade answered 503: the socket never opens
    const maxQueue = 250
    const timers = leakTimers()
    const m = createStreamManager({
      url: s.url,
      WebSocket: WS,
      timers,
      maxQueue,
      getToken: () => 'queue-token',
      reconnect: { initialDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    })
    manager = m
    m.subscribe(['BTC-USD'])
    await s.waitFor(() => s.upgrades >= 2, 5_000) // it is really trying, and failing
    for (let n = 0; n < 10_000; n++) m.send({ type: 'order', n })
    expect(m.getStats().dropped).toBe(10_000 - maxQueue)
    expect(m.getStats().messagesOut).toBe(0)

    s.accept()
    await s.waitFor(
      () => s.received.filter((f) => (f as { type?: string }).type === 'order').length >= maxQueue,
      10_000,
    )
    // Give any duplicate a chance to show up before judging.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const socket = s.sockets.find((x) => x.received.length > 0)
    expect(socket).toBeDefined()
    const received = socket?.received as {
      type: string
      n?: number
      token?: string
      symbols?: string[]
    }[]
    expect(received[0]).toEqual({ type: 'auth', token: 'queue-token' })
    expect(received[1]).toMatchObject({ type: 'subscribe', symbols: ['BTC-USD'] })
    const orders = received.filter((f) => f.type === 'order').map((f) => f.n)
    // The newest maxQueue, in the order given, each once.
    expect(orders).toEqual(Array.from({ length: maxQueue }, (_, i) => 10_000 - maxQueue + i))
    expect(received.slice(2, 2 + maxQueue).every((f) => f.type === 'order')).toBe(true)
    expect(m.getStats().dropped).toBe(10_000 - maxQueue)
    expect(s.openNow).toBe(1)
  })

  it('with the default maxQueue (1000) the queue holds 1000 and drops the rest, however large the messages', () => {
    const fake = fakeWebSocket()
    const m = createStreamManager({
      url: 'ws://queue.invalid/ws',
      WebSocket: fake.WebSocket,
      timers: leakTimers(),
    })
    manager = m
    const payload = 'p'.repeat(1_000)
    for (let n = 0; n < 10_000; n++) m.send({ type: 'order', n, payload })
    expect(m.getStats().dropped).toBe(9_000)
    const socket = fake.sockets[0] as FakeSocket
    socket.open()
    const orders = socket.sent
      .map((f) => JSON.parse(String(f)) as { type: string; n: number })
      .filter((f) => f.type === 'order')
    expect(orders.map((f) => f.n)).toEqual(Array.from({ length: 1_000 }, (_, i) => 9_000 + i))
  })
})

describe('inbound burst', () => {
  it('100,000 deltas for 50 symbols leave one state per symbol: retained heap stays within 3 MB and the store is written once per frame, not per message', () => {
    const gc = exposeGc()
    const fake = fakeWebSocket()
    const timers = leakTimers({ manualFrames: true })
    const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`)
    const m = createStreamManager({
      url: 'ws://burst.invalid/ws',
      WebSocket: fake.WebSocket,
      timers,
      throttleMs: 0,
    })
    manager = m
    m.subscribe(symbols)
    const socket = fake.sockets[0] as FakeSocket
    socket.open()
    return Promise.resolve().then(() => {
      for (const symbol of symbols)
        socket.deliver(JSON.stringify({ type: 'snapshot', symbol, seq: 0, data: { price: 1 } }))
      timers.flushFrames()
      let writes = 0
      const unsubscribe = m.store.subscribe(() => (writes += 1))
      // Frames are made up front so the measurement sees the client's memory, not the test's.
      const seqs = new Map(symbols.map((s) => [s, 0]))
      const pendingBefore = timers.pending()
      const before = retainedHeap(gc)
      for (let i = 0; i < 100_000; i++) {
        const symbol = symbols[i % symbols.length] as string
        const seq = (seqs.get(symbol) as number) + 1
        seqs.set(symbol, seq)
        socket.deliver(
          `{"type":"delta","symbol":"${symbol}","seq":${seq},"data":{"price":${1 + i / 1e5},"k${i % 7}":${i}}}`,
        )
      }
      const pendingMidBurst = timers.pending()
      timers.flushFrames()
      const after = retainedHeap(gc)
      unsubscribe()
      const grew = after - before
      console.info(
        `[burst] 100000 deltas: retained heap ${(grew / 1024).toFixed(0)} KiB, store writes ${writes}`,
      )
      expect(m.getStats().messagesIn).toBe(100_000 + symbols.length)
      expect(m.getStats().invalid).toBe(0)
      expect(writes).toBe(1)
      // A frame callback (and at most the stale sweep) pending during the burst, not one per message.
      expect(pendingMidBurst - pendingBefore).toBeLessThanOrEqual(2)
      const prices = m.store.getState().prices
      expect(Object.keys(prices).sort()).toEqual([...symbols].sort())
      expect(prices.S0?.seq).toBe(100_000 / symbols.length)
      expect(prices.S49?.price).toBe(1 + 99_999 / 1e5)
      // A delta adds at most its keys to a symbol's state: k0..k6 plus price.
      expect(Object.keys(prices.S0?.data ?? {}).sort()).toEqual([
        'k0',
        'k1',
        'k2',
        'k3',
        'k4',
        'k5',
        'k6',
        'price',
      ])
      expect(grew).toBeLessThan(3 * 1024 * 1024)
    })
  })
})
