/**
 * Valid but hostile (or broken) server advice must not make the client burn CPU or flood the
 * server: PROTOCOL.md lets a server lower the ping spacing (`welcome.heartbeatMs`) and hold the
 * client's frames (`rate_limited.retryAfter`), and both end up as timer delays.
 *
 * Timers are counted through the injectable provider over real time: a sane client schedules a
 * handful in the window, a spinning one hundreds.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { leakTimers, type LeakTimers } from '../helpers/leakTimers'
import { fakeWebSocket, sentMessages, type FakeSocket } from './support/fakeSocket'

let manager: StreamManager | undefined

afterEach(() => {
  manager?.destroy()
  manager = undefined
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function openClient(): Promise<{ m: StreamManager; socket: FakeSocket; timers: LeakTimers }> {
  const fake = fakeWebSocket()
  const timers = leakTimers()
  const m = createStreamManager({
    url: 'ws://hostile.invalid/ws',
    WebSocket: fake.WebSocket,
    timers,
    heartbeatIntervalMs: 30_000,
  })
  manager = m
  m.subscribe(['BTC-USD'])
  const socket = fake.sockets[0] as FakeSocket
  socket.open()
  await Promise.resolve()
  return { m, socket, timers }
}

describe('hostile server advice', () => {
  // Was a finding: any positive heartbeatMs was accepted; it is now floored at 1 s.
  it('welcome.heartbeatMs of 1 µs does not make the client ping more than a few times a second', async () => {
    const { socket } = await openClient()
    socket.deliver(JSON.stringify({ type: 'welcome', heartbeatMs: 0.001 }))
    // Keep the socket alive with pongs, as a real server would; count the pings for 500 ms.
    const started = Date.now()
    while (Date.now() - started < 500) {
      socket.deliver(JSON.stringify({ type: 'pong', ts: Date.now() }))
      await sleep(5)
    }
    const pings = sentMessages(socket).filter(
      (m) => (m as { type?: string }).type === 'ping',
    ).length
    console.info(`[hostile] pings in 500 ms after welcome.heartbeatMs=0.001: ${pings}`)
    expect(pings).toBeLessThanOrEqual(5)
  })

  // Was a finding: a hold past 2^31-1 ms fired at once and re-armed; delays are now capped.
  it('rate_limited with retryAfter of 1e7 s holds frames without spinning timers', async () => {
    const { m, socket, timers } = await openClient()
    socket.deliver(
      JSON.stringify({
        type: 'error',
        code: 'rate_limited',
        message: 'slow down',
        retryAfter: 1e7,
      }),
    )
    m.send({ type: 'order', n: 1 })
    const before = timers.scheduled()
    // Short on purpose: while the bug stands, Node prints a TimeoutOverflowWarning per timer.
    await sleep(100)
    const scheduled = timers.scheduled() - before
    console.info(`[hostile] timers scheduled in 100 ms while held for 1e7 s: ${scheduled}`)
    expect(sentMessages(socket).some((f) => (f as { type?: string }).type === 'order')).toBe(false)
    expect(scheduled).toBeLessThanOrEqual(5)
  })

  it('an ordinary retryAfter (0.2 s) holds frames, then sends them in order', async () => {
    const { m, socket } = await openClient()
    socket.deliver(
      JSON.stringify({
        type: 'error',
        code: 'rate_limited',
        message: 'slow down',
        retryAfter: 0.2,
      }),
    )
    m.send({ type: 'order', n: 1 })
    m.send({ type: 'order', n: 2 })
    const orders = () =>
      sentMessages(socket).filter((f) => (f as { type?: string }).type === 'order')
    expect(orders()).toEqual([])
    await sleep(400)
    expect(orders()).toEqual([
      { type: 'order', n: 1 },
      { type: 'order', n: 2 },
    ])
  })
})
