/**
 * Connection info in the store while data flows: counters (frames and bytes in, lastMessageAt)
 * move with every frame, and copying the info into the store per animation frame re-rendered
 * every `useConnectionStatus` user at 60 Hz. They now reach the store at most once per
 * COUNTERS_INTERVAL_MS; what a UI shows as state (status, latency) still goes at the next frame.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { COUNTERS_INTERVAL_MS } from '../../src/core/prices/frame-scheduler'
import { fakeWebSocket, type FakeSocket } from '../reliability/support/fakeSocket'

const FAKE = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const,
}
const FRAME_MS = 16

let manager: StreamManager | undefined
afterEach(() => {
  manager?.destroy()
  manager = undefined
  vi.useRealTimers()
})

async function openManager(): Promise<{ m: StreamManager; socket: FakeSocket }> {
  vi.useFakeTimers({ toFake: [...FAKE.toFake] })
  const { WebSocket, sockets } = fakeWebSocket()
  const m = createStreamManager({ url: 'ws://feed.invalid/ws', WebSocket, throttleMs: 0 })
  manager = m
  m.subscribe(['A'])
  // The wanted set reaches the connection at the end of the task.
  await Promise.resolve()
  await Promise.resolve()
  const socket = sockets[0]
  if (!socket) throw new Error('no socket made')
  socket.open()
  socket.deliver(JSON.stringify({ type: 'snapshot', symbol: 'A', seq: 0, data: { price: 1 } }))
  vi.advanceTimersByTime(FRAME_MS)
  expect(m.store.getState().prices.A?.price).toBe(1)
  return { m, socket }
}

const delta = (seq: number): string =>
  JSON.stringify({ type: 'delta', symbol: 'A', seq, data: { price: seq } })

describe('manager: connection info in the store while data flows', () => {
  it('counters reach the store at most once per COUNTERS_INTERVAL_MS, the latest when the interval ends', async () => {
    const { m, socket } = await openManager()
    let infoWrites = 0
    let priceWrites = 0
    m.store.subscribe((state, previous) => {
      if (state.connections !== previous.connections) infoWrites += 1
      if (state.prices !== previous.prices) priceWrites += 1
    })
    const frames = 60 // about a second of frames, one delta each
    for (let seq = 1; seq <= frames; seq++) {
      socket.deliver(delta(seq))
      vi.advanceTimersByTime(FRAME_MS)
    }
    expect(priceWrites).toBe(frames)
    const elapsed = frames * FRAME_MS
    expect(infoWrites).toBeGreaterThanOrEqual(Math.floor(elapsed / COUNTERS_INTERVAL_MS) - 1)
    expect(infoWrites).toBeLessThanOrEqual(Math.ceil(elapsed / COUNTERS_INTERVAL_MS) + 1)
    // Trailing: once the interval ends, the store holds the last counts.
    vi.advanceTimersByTime(COUNTERS_INTERVAL_MS + FRAME_MS)
    const stored = m.store.getState().connections.default
    expect(stored?.stats.messagesIn).toBe(m.getStats().messagesIn)
    expect(stored?.stats.bytesIn).toBe(m.getStats().bytesIn)
    expect(stored?.stats.lastMessageAt).toBe(m.getStats().lastMessageAt)
  })

  it('with no traffic nothing is written; a status change goes out at the next frame, inside the interval', async () => {
    const { m, socket } = await openManager()
    socket.deliver(delta(1))
    vi.advanceTimersByTime(COUNTERS_INTERVAL_MS + FRAME_MS) // whatever was pending is written
    let infoWrites = 0
    m.store.subscribe((state, previous) => {
      if (state.connections !== previous.connections) infoWrites += 1
    })
    vi.advanceTimersByTime(COUNTERS_INTERVAL_MS * 4)
    expect(infoWrites).toBe(0)
    socket.deliver(delta(2))
    vi.advanceTimersByTime(FRAME_MS) // leading write after quiet
    expect(infoWrites).toBe(1)
    socket.deliver(delta(3)) // counters now wait for the interval...
    socket.serverClose(1006) // ...but a status change does not
    vi.advanceTimersByTime(FRAME_MS)
    expect(infoWrites).toBe(2)
    expect(m.store.getState().connections.default?.status).toBe('reconnecting')
    expect(m.store.getState().connections.default?.stats.messagesIn).toBe(m.getStats().messagesIn)
  })

  it('a pong updates the shown latency at the next frame, not at the end of the counters interval', async () => {
    const { m, socket } = await openManager()
    socket.deliver(delta(1))
    vi.advanceTimersByTime(FRAME_MS) // the counters' leading write: the interval starts
    socket.deliver(JSON.stringify({ type: 'pong', ts: Date.now() - 7 }))
    vi.advanceTimersByTime(FRAME_MS)
    expect(m.store.getState().connections.default?.latencyMs).toBe(7)
  })
})
