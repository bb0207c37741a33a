import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One open event stream as the server sees it. */
export interface SseClient {
  /** The `symbols` query parameter, split on commas. */
  symbols: string[]
  /** Sends one event whose `data:` is the message as JSON. */
  send(message: unknown): void
  /** Ends the stream from the server side. */
  end(): void
  closed: boolean
}

/** A small SSE endpoint for tests, on 127.0.0.1 port 0. */
export interface SseTestServer {
  /** `http://127.0.0.1:<port>/stream` */
  url: string
  /** Every stream ever opened, in order. */
  clients: SseClient[]
  /** Streams still open. */
  open(): SseClient[]
  /** Resolves with the next stream to open (or the n-th, counting from 1). */
  waitForClient(n?: number): Promise<SseClient>
  /** Answer the next requests with this HTTP status instead of a stream. */
  refuseWith(status: number | null): void
  close(): Promise<void>
}

/**
 * Serves `GET /stream?symbols=A,B` as `text/event-stream` and sends, right after opening, one
 * `snapshot` per symbol (PROTOCOL.md section 6) with the seq the test keeps per symbol.
 */
export async function startSseServer(
  options: { snapshotPrice?: (symbol: string) => number } = {},
): Promise<SseTestServer> {
  const clients: SseClient[] = []
  const waiters: Array<{ n: number; resolve: (client: SseClient) => void }> = []
  let refuse: number | null = null
  const seq = new Map<string, number>()

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/stream') {
      res.writeHead(404).end()
      return
    }
    if (refuse !== null) {
      res.writeHead(refuse).end()
      return
    }
    const raw = url.searchParams.get('symbols') ?? ''
    const symbols = raw === '' ? [] : raw.split(',')
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    })
    res.flushHeaders()
    const client: SseClient = {
      symbols,
      closed: false,
      send(message) {
        if (!client.closed) res.write(`data: ${JSON.stringify(message)}\n\n`)
      },
      end() {
        client.closed = true
        res.end()
      },
    }
    req.on('close', () => {
      client.closed = true
    })
    clients.push(client)
    for (const symbol of symbols) {
      const next = (seq.get(symbol) ?? 0) + 1
      seq.set(symbol, next)
      client.send({
        type: 'snapshot',
        symbol,
        seq: next,
        ts: Date.now(),
        data: { price: options.snapshotPrice?.(symbol) ?? 100 },
      })
    }
    for (const waiter of [...waiters]) {
      if (waiter.n === clients.length) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(client)
      }
    }
  }

  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/stream`,
    clients,
    open: () => clients.filter((client) => !client.closed),
    waitForClient(n = clients.length + 1) {
      const existing = clients[n - 1]
      if (existing) return Promise.resolve(existing)
      return new Promise((resolve) => waiters.push({ n, resolve }))
    },
    refuseWith(status) {
      refuse = status
    },
    async close() {
      for (const client of clients) if (!client.closed) client.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
