/**
 * A server that accepts the TCP connection and never answers the WebSocket upgrade (a frozen
 * process, a black-holed load balancer, a captive portal) must not freeze the client. The
 * heartbeat only starts once a socket is open, so the opening handshake needs its own limit.
 */
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebSocketConstructor } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import type { StatusEvent } from '../../src/core/types'

const WS = NodeWebSocket as unknown as WebSocketConstructor

let manager: StreamManager | undefined
let close: (() => Promise<void>) | undefined

afterEach(async () => {
  manager?.destroy()
  manager = undefined
  await close?.()
  close = undefined
})

/** A TCP server that accepts and then says nothing at all. */
async function blackHole(): Promise<{ url: string; accepted: () => number }> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createServer((socket) => {
    accepted += 1
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`,
    accepted: () => accepted,
  }
}

describe('opening handshake', () => {
  // Was a finding: no timer ran between creating a socket and its open event.
  it('a handshake that never completes is abandoned within staleTimeoutMs and retried with backoff', async () => {
    const hole = await blackHole()
    const statuses: StatusEvent[] = []
    const m = createStreamManager({
      url: hole.url,
      WebSocket: WS,
      staleTimeoutMs: 500,
      heartbeatIntervalMs: 200,
      reconnect: { initialDelayMs: 50, maxDelayMs: 100, jitter: 0 },
    })
    manager = m
    m.on('status', (e) => statuses.push(e))
    m.subscribe(['BTC-USD'])
    const deadline = Date.now() + 2_500
    while (Date.now() < deadline && hole.accepted() < 2)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect(statuses.map((s) => s.newState)).toContain('reconnecting')
    expect(hole.accepted()).toBeGreaterThanOrEqual(2)
  })
})
