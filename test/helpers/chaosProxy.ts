/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of a real feed server, for chaos tests: it passes
 * bytes through untouched and, on command, misbehaves the way networks and servers do.
 *
 * - `refuse(true)`: every new connection is accepted and dropped at once (the client sees its
 *   handshake fail), as a server that is down behind a load balancer. `dropAll()` cuts the
 *   connections already open.
 * - `stall(true)`: nothing moves in either direction on any connection, old or new, and nothing
 *   is closed, as a frozen process (SIGSTOP) or a black-holed route: TCP keeps the bytes, and
 *   they flow again on `stall(false)`.
 * - `throttle(bytesPerSecond)`: server-to-client bytes are paced; the proxy stops reading from
 *   the server while it is behind, so the server sees real backpressure. `throttle(null)` ends it.
 *
 * The proxy counts every TCP connection it is offered (`offered`), so a test can compare the
 * client's reconnect statistics with what really reached the network.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ChaosProxy {
  /** `ws://127.0.0.1:<port><path>` */
  readonly url: string
  readonly port: number
  /** TCP connections offered by clients since the start, refused ones included. */
  readonly offered: number
  /** Connections dropped at once because the proxy was refusing. */
  readonly refused: number
  /** Connections whose upstream could not be reached (the server was down). */
  readonly upstreamFailed: number
  /** Client connections open now, through to the server or waiting on a stall. */
  readonly openNow: number
  refuse(on: boolean): void
  /** Cuts every open connection at once (both sides see the TCP connection end). */
  dropAll(): void
  stall(on: boolean): void
  throttle(bytesPerSecond: number | null): void
  close(): Promise<void>
}

interface Pipe {
  client: Socket
  upstream: Socket | null
  /** Server-to-client bytes waiting for the throttle. */
  queue: Buffer[]
  queued: number
  /** Client-to-server bytes that arrived before the upstream connected. */
  early: Buffer[]
  closed: boolean
}

const PACE_MS = 50
/** While this much is queued for a throttled client, the proxy stops reading from the server. */
const HIGH_WATER = 64 * 1024

/** Starts a proxy to `target` (a port on 127.0.0.1); `path` is appended to the URL it reports. */
export async function createChaosProxy(target: number, path = '/ws'): Promise<ChaosProxy> {
  const pipes = new Set<Pipe>()
  let refusing = false
  let stalled = false
  let rate: number | null = null
  let offered = 0
  let refused = 0
  let upstreamFailed = 0
  let pacer: ReturnType<typeof setInterval> | undefined

  function end(pipe: Pipe): void {
    if (pipe.closed) return
    pipe.closed = true
    pipes.delete(pipe)
    pipe.client.destroy()
    pipe.upstream?.destroy()
  }

  function startUpstream(pipe: Pipe): void {
    const upstream = connect(target, '127.0.0.1')
    pipe.upstream = upstream
    upstream.setNoDelay(true)
    upstream.on('connect', () => {
      for (const chunk of pipe.early.splice(0)) upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (rate === null && pipe.queued === 0) {
        pipe.client.write(chunk)
        return
      }
      pipe.queue.push(chunk)
      pipe.queued += chunk.byteLength
      if (pipe.queued > HIGH_WATER) upstream.pause()
    })
    upstream.on('error', () => {
      if (!upstream.connecting) return
      upstreamFailed += 1
    })
    upstream.on('close', () => end(pipe))
    if (stalled) upstream.pause()
  }

  /** Sends each pipe its share of the throttle budget; with no throttle, drains what is queued. */
  function pace(): void {
    if (stalled) return
    const budget = rate === null ? Infinity : (rate * PACE_MS) / 1000
    for (const pipe of pipes) {
      let left = budget
      while (pipe.queue.length > 0 && left > 0) {
        const head = pipe.queue[0] as Buffer
        const part = head.byteLength <= left ? head : head.subarray(0, Math.floor(left))
        if (part.byteLength === 0) break
        pipe.client.write(part)
        left -= part.byteLength
        pipe.queued -= part.byteLength
        if (part === head) pipe.queue.shift()
        else pipe.queue[0] = head.subarray(part.byteLength)
      }
      if (pipe.queued <= HIGH_WATER / 2 && pipe.upstream?.isPaused() === true)
        pipe.upstream.resume()
    }
  }

  const server: Server = createServer((client) => {
    offered += 1
    if (refusing) {
      refused += 1
      client.on('error', () => undefined)
      client.destroy()
      return
    }
    client.setNoDelay(true)
    const pipe: Pipe = { client, upstream: null, queue: [], queued: 0, early: [], closed: false }
    pipes.add(pipe)
    client.on('data', (chunk: Buffer) => {
      const up = pipe.upstream
      if (up && !up.connecting) up.write(chunk)
      else pipe.early.push(chunk)
    })
    client.on('error', () => undefined)
    client.on('close', () => end(pipe))
    if (stalled) {
      // Accepted by the kernel, then nothing: the upstream is only dialled when the stall ends.
      client.pause()
      return
    }
    startUpstream(pipe)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as AddressInfo).port
  pacer = setInterval(pace, PACE_MS)

  return {
    url: `ws://127.0.0.1:${port}${path}`,
    port,
    get offered() {
      return offered
    },
    get refused() {
      return refused
    },
    get upstreamFailed() {
      return upstreamFailed
    },
    get openNow() {
      return pipes.size
    },
    refuse(on) {
      refusing = on
    },
    dropAll() {
      for (const pipe of [...pipes]) end(pipe)
    },
    stall(on) {
      if (stalled === on) return
      stalled = on
      for (const pipe of pipes) {
        if (on) {
          pipe.client.pause()
          pipe.upstream?.pause()
          continue
        }
        pipe.client.resume()
        if (pipe.upstream === null) startUpstream(pipe)
        else if (pipe.queued <= HIGH_WATER) pipe.upstream.resume()
      }
    },
    throttle(bytesPerSecond) {
      rate = bytesPerSecond
    },
    async close() {
      clearInterval(pacer)
      pacer = undefined
      for (const pipe of [...pipes]) end(pipe)
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
