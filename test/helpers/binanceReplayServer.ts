import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'

/**
 * A local stand-in for Binance's public spot market stream server, written from the
 * exchange's public "WebSocket Streams" documentation:
 * - `/ws` serves raw events, `/stream` combined envelopes `{"stream":…,"data":…}`;
 * - `SUBSCRIBE` / `UNSUBSCRIBE` / `LIST_SUBSCRIPTIONS` method frames answered with
 *   `{"result":…,"id":…}`; malformed requests with an error object and the id;
 * - at most 1024 streams per connection;
 * - more than 5 incoming messages in a second closes the connection (code 1008).
 * It records when every frame arrived, so tests can check the client's pacing.
 */
export interface BinanceReplayServer {
  /** `ws://127.0.0.1:<port>`; add `/ws` or `/stream`. */
  url: string
  /** Every client frame, with its arrival time (ms, performance clock). */
  frames: Array<{ at: number; data: unknown }>
  /** Streams subscribed on the open connections, union. */
  subscribed(): Set<string>
  /** Connections closed for sending too fast. */
  rateViolations: number
  /** Connections accepted so far. */
  connections: number
  /** Sends one ticker or bookTicker event to every connection subscribed to its stream. */
  replay(streams?: readonly string[]): void
  /** Drops every connection as the network would (no close frame). */
  dropAll(): void
  close(): Promise<void>
}

/** The exchange's documented limits. */
const MAX_MESSAGES_PER_SECOND = 5
const MAX_STREAMS = 1024
/** Stream names this server knows: `<lowercase symbol>@ticker` or `@bookTicker`. */
const STREAM_NAME = /^[a-z0-9]+@(ticker|bookTicker)$/

/** A `24hrTicker` payload as documented (decimals as strings). */
export function tickerPayload(
  symbol: string,
  price: number,
  eventTime: number,
): Record<string, unknown> {
  const fixed = (n: number) => n.toFixed(8)
  return {
    e: '24hrTicker',
    E: eventTime,
    s: symbol,
    p: fixed(price * 0.01),
    P: '1.00',
    w: fixed(price),
    x: fixed(price * 0.99),
    c: fixed(price),
    Q: '1.00000000',
    b: fixed(price - 0.01),
    B: '2.00000000',
    a: fixed(price + 0.01),
    A: '3.00000000',
    o: fixed(price * 0.99),
    h: fixed(price * 1.02),
    l: fixed(price * 0.98),
    v: '10000.00000000',
    q: fixed(price * 10000),
    O: eventTime - 86_400_000,
    C: eventTime,
    F: 0,
    L: 18150,
    n: 18151,
  }
}

/** A `bookTicker` payload as documented: no event type, an order book update id. */
export function bookTickerPayload(
  symbol: string,
  price: number,
  updateId: number,
): Record<string, unknown> {
  return {
    u: updateId,
    s: symbol,
    b: (price - 0.01).toFixed(8),
    B: '31.21000000',
    a: (price + 0.01).toFixed(8),
    A: '40.66000000',
  }
}

interface Client {
  socket: WebSocket
  combined: boolean
  streams: Set<string>
  arrivals: number[]
}

export async function startBinanceReplayServer(): Promise<BinanceReplayServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const clients = new Set<Client>()
  const prices = new Map<string, number>()
  let updateId = 1

  const server: BinanceReplayServer = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    frames: [],
    rateViolations: 0,
    connections: 0,
    subscribed() {
      const all = new Set<string>()
      for (const client of clients) for (const stream of client.streams) all.add(stream)
      return all
    },
    replay(streams) {
      for (const client of clients) {
        for (const stream of streams ?? client.streams) {
          if (!client.streams.has(stream)) continue
          const [lower = '', kind] = stream.split('@')
          const symbol = lower.toUpperCase()
          const price = (prices.get(symbol) ?? 100) + 0.5
          prices.set(symbol, price)
          const data =
            kind === 'ticker'
              ? tickerPayload(symbol, price, Date.now())
              : bookTickerPayload(symbol, price, updateId++)
          client.socket.send(JSON.stringify(client.combined ? { stream, data } : data))
        }
      }
    },
    dropAll() {
      for (const client of clients) client.socket.terminate()
    },
    async close() {
      for (const client of clients) client.socket.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }

  wss.on('connection', (socket, request) => {
    server.connections++
    const path = new URL(request.url ?? '/', 'http://127.0.0.1')
    const client: Client = {
      socket,
      combined: path.pathname.startsWith('/stream'),
      streams: new Set(),
      arrivals: [],
    }
    // `/stream?streams=a/b` subscribes at connect time, as the exchange allows.
    for (const stream of path.searchParams.get('streams')?.split('/') ?? []) {
      if (STREAM_NAME.test(stream)) client.streams.add(stream)
    }
    clients.add(client)
    socket.on('close', () => clients.delete(client))
    // Pong frames count against the limit at the exchange; ws answers pings we never send.
    socket.on('pong', () => countAndCheck(client))
    socket.on('message', (raw: Buffer) => {
      const at = performance.now()
      let data: unknown
      try {
        data = JSON.parse(raw.toString())
      } catch {
        data = raw.toString()
      }
      server.frames.push({ at, data })
      if (!countAndCheck(client)) return
      answer(client, data)
    })
  })

  /** Records an incoming message; closes the connection when it breaks the rate limit. */
  function countAndCheck(client: Client): boolean {
    const now = performance.now()
    client.arrivals.push(now)
    while (client.arrivals.length > 0 && (client.arrivals[0] ?? 0) <= now - 1000)
      client.arrivals.shift()
    if (client.arrivals.length > MAX_MESSAGES_PER_SECOND) {
      server.rateViolations++
      client.socket.close(1008, 'Too many requests')
      clients.delete(client)
      return false
    }
    return true
  }

  function reply(client: Client, message: unknown): void {
    client.socket.send(JSON.stringify(message))
  }

  function answer(client: Client, data: unknown): void {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      reply(client, {
        error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' },
        id: null,
      })
      return
    }
    const request = data as { method?: unknown; params?: unknown; id?: unknown }
    const id = request.id ?? null
    if (typeof id !== 'number' && typeof id !== 'string' && id !== null) {
      reply(client, {
        error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' },
        id: null,
      })
      return
    }
    const bad = (msg: string) =>
      reply(client, { error: { code: 2, msg: `Invalid request: ${msg}` }, id })
    switch (request.method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const params = request.params
        if (
          !Array.isArray(params) ||
          params.some((p) => typeof p !== 'string' || !STREAM_NAME.test(p))
        ) {
          bad('invalid stream name')
          return
        }
        const names = params as string[]
        if (request.method === 'SUBSCRIBE') {
          const after = new Set([...client.streams, ...names])
          if (after.size > MAX_STREAMS) {
            bad(`too many streams (at most ${MAX_STREAMS} per connection)`)
            return
          }
          for (const name of names) client.streams.add(name)
        } else {
          for (const name of names) client.streams.delete(name)
        }
        reply(client, { result: null, id })
        return
      }
      case 'LIST_SUBSCRIPTIONS':
        reply(client, { result: [...client.streams], id })
        return
      case undefined:
        bad('missing field `method`')
        return
      default:
        bad(
          `unknown variant ${String(request.method)}, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS`,
        )
    }
  }

  return server
}
