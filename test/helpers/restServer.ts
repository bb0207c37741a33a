import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the REST test server received. */
export interface RestRequest {
  symbols: string[]
  at: number
  /** True once the client went away before the answer (an aborted fetch). */
  aborted: boolean
}

/** How the server answers one request: a body, a status, or nothing until released. */
export type RestAnswer =
  { body: unknown; status?: number; delayMs?: number } | { status: number } | { hang: true }

/** A `/prices` endpoint for poller tests on 127.0.0.1 port 0. */
export interface RestTestServer {
  /** Base URL (the client appends `/prices?symbols=…`). */
  url: string
  requests: RestRequest[]
  /** Decides each answer; the default gives every symbol a price with seq 1. */
  answer: (symbols: string[], request: RestRequest) => RestAnswer
  close(): Promise<void>
}

export async function startRestServer(): Promise<RestTestServer> {
  const state: RestTestServer = {
    url: '',
    requests: [],
    answer: (symbols) => ({
      body: {
        prices: Object.fromEntries(
          symbols.map((s) => [s, { seq: 1, ts: Date.now(), data: { price: 100 } }]),
        ),
        unknown: [],
      },
    }),
    close: async () => {},
  }
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/prices') {
      res.writeHead(404).end()
      return
    }
    const raw = url.searchParams.get('symbols') ?? ''
    const symbols = raw === '' ? [] : raw.split(',')
    const request: RestRequest = { symbols, at: Date.now(), aborted: false }
    state.requests.push(request)
    res.on('close', () => {
      if (!res.writableFinished) request.aborted = true
    })
    const answer = state.answer(symbols, request)
    if ('hang' in answer) return
    const send = (): void => {
      if ('body' in answer) {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer.body))
      } else {
        res.writeHead(answer.status).end()
      }
    }
    if ('delayMs' in answer && answer.delayMs !== undefined) setTimeout(send, answer.delayMs)
    else send()
  }
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  state.url = `http://127.0.0.1:${port}`
  state.close = async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return state
}
