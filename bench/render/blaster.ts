/**
 * The render bench's feed: an HTTP server for the built bench pages and, on the same port, a
 * `ws` server speaking enough of PROTOCOL.md for every variant (subscribe -> snapshots, then
 * deltas; resync; ping). Each connection asks for its rate in its URL (`/ws?rate=10000&id=…`)
 * and gets deltas round-robin over the symbols it subscribed, as one `batch` frame per tick.
 *
 * A delta's `ts` is the send time, and the price carries the same time in its last five
 * fraction digits (ms mod 100,000, times 1e-8): whatever a variant does with the message, the
 * text it finally puts on screen says when that value left the server, which is how the page
 * measures message-to-screen latency without seeing the messages.
 */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'

/** Interval of the send loop. Every tick sends what the rate says is due, as one frame. */
export const TICK_MS = 4

interface Stream {
  id: string
  rate: number
  socket: WebSocket
  symbols: string[]
  index: Map<string, number>
  seq: number[]
  base: number[]
  startedAt: number
  sentDeltas: number
  /** Cumulative deltas after each frame sent: frame n (1-based) ended at cumulative[n - 1]. */
  cumulative: number[]
  /** Set by `pause`: the send loop skips the connection from then on. */
  paused: boolean
}

export interface Blaster {
  url: string
  wsUrl: string
  /** Deltas in the first `frames` frames sent to the connection `id` (frames are counted by the page). */
  deltasInFrames(id: string, frames: number): number
  sent(id: string): number
  /** Frames sent to the connection `id` so far (what the page's frame count is compared with). */
  framesSent(id: string): number
  /** Stops the deltas to the connection `id`, so the page can drain what is on the way. */
  pause(id: string): void
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
}

/** The price carrying the send time: a 2-decimal walk plus (ts mod 1e5) * 1e-8. */
export function stampedPrice(base: number, ts: number): number {
  return Math.round(base * 100) / 100 + (ts % 100_000) * 1e-8
}

/** Every frame to a client goes through here, so the page's frame count maps to deltas. */
function send(stream: Stream, message: unknown, deltas: number): void {
  stream.socket.send(JSON.stringify(message))
  stream.sentDeltas += deltas
  stream.cumulative.push(stream.sentDeltas)
}

export async function startBlaster(root: string): Promise<Blaster> {
  const streams = new Map<string, Stream>()
  const finished = new Map<string, number[]>()

  const server: Server = createServer((req, res) => {
    const path = normalize(
      decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname),
    ).replace(/^(\.\.[/\\])+/, '')
    const file = join(root, path === '/' ? 'index.html' : path)
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    })
    createReadStream(file).pipe(res)
  })
  const wss = new WebSocketServer({
    server,
    path: '/ws',
    // JSON only: the render bench compares JSON feeds; no per-message deflate (costs CPU on both ends).
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has('tickwire.v1.json') ? 'tickwire.v1.json' : false),
  })

  wss.on('connection', (socket, req) => {
    const params = new URL(req.url ?? '/', 'http://x').searchParams
    const id = params.get('id') ?? `anon-${streams.size}`
    const stream: Stream = {
      id,
      rate: Number(params.get('rate') ?? 1000),
      socket,
      symbols: [],
      index: new Map(),
      seq: [],
      base: [],
      startedAt: 0,
      sentDeltas: 0,
      cumulative: [],
      paused: false,
    }
    streams.set(id, stream)
    const sendFrame = (message: unknown, deltas: number): void => send(stream, message, deltas)
    const snapshot = (i: number): Record<string, unknown> => {
      const ts = Date.now()
      const price = stampedPrice(stream.base[i] as number, ts)
      return {
        type: 'snapshot',
        symbol: stream.symbols[i],
        seq: stream.seq[i],
        ts,
        data: { price, bid: price - 0.01, ask: price + 0.01 },
      }
    }
    socket.on('message', (raw) => {
      let message: { type?: unknown; symbols?: unknown; ts?: unknown }
      try {
        message = JSON.parse(String(raw)) as typeof message
      } catch {
        return
      }
      const list = Array.isArray(message.symbols)
        ? message.symbols.filter((s): s is string => typeof s === 'string')
        : []
      if (message.type === 'subscribe') {
        const added: number[] = []
        for (const symbol of list) {
          if (stream.index.has(symbol)) continue
          stream.index.set(symbol, stream.symbols.length)
          added.push(stream.symbols.length)
          stream.symbols.push(symbol)
          stream.seq.push(0)
          stream.base.push(50 + ((stream.symbols.length * 37) % 950))
        }
        if (added.length > 0) sendFrame({ type: 'batch', messages: added.map(snapshot) }, 0)
        if (stream.startedAt === 0) stream.startedAt = performance.now()
      } else if (message.type === 'resync') {
        const again = list
          .map((s) => stream.index.get(s))
          .filter((i): i is number => i !== undefined)
        if (again.length > 0) sendFrame({ type: 'batch', messages: again.map(snapshot) }, 0)
      } else if (message.type === 'ping') {
        sendFrame({ type: 'pong', ts: message.ts }, 0)
      }
    })
    socket.on('close', () => {
      streams.delete(id)
      finished.set(id, stream.cumulative)
    })
    socket.on('error', () => undefined)
  })

  // One loop for every connection: each gets what its rate says is due since it started.
  let cursor = 0
  const loop = setInterval(() => {
    const now = performance.now()
    for (const stream of streams.values()) {
      if (stream.paused || stream.startedAt === 0 || stream.symbols.length === 0) continue
      const due = Math.floor(((now - stream.startedAt) / 1000) * stream.rate) - stream.sentDeltas
      if (due <= 0) continue
      const ts = Date.now()
      const messages = new Array<Record<string, unknown>>(due)
      for (let n = 0; n < due; n++) {
        const i = cursor++ % stream.symbols.length
        const seq = (stream.seq[i] as number) + 1
        stream.seq[i] = seq
        // A random walk in cents, so flashes go both ways.
        const base = (stream.base[i] as number) + (Math.random() < 0.5 ? -0.01 : 0.01)
        stream.base[i] = base
        const price = stampedPrice(base, ts)
        messages[n] = {
          type: 'delta',
          symbol: stream.symbols[i],
          seq,
          ts,
          data: { price, bid: price - 0.01, ask: price + 0.01 },
        }
      }
      send(stream, { type: 'batch', messages }, due)
    }
  }, TICK_MS)

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const cumulativeOf = (id: string): number[] =>
    streams.get(id)?.cumulative ?? finished.get(id) ?? []

  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    deltasInFrames(id, frames) {
      if (frames <= 0) return 0
      const cumulative = cumulativeOf(id)
      return cumulative[Math.min(frames, cumulative.length) - 1] ?? 0
    },
    sent: (id) => cumulativeOf(id).at(-1) ?? 0,
    framesSent: (id) => cumulativeOf(id).length,
    pause(id) {
      const stream = streams.get(id)
      if (stream) stream.paused = true
    },
    async close() {
      clearInterval(loop)
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
