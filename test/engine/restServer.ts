/**
 * A `/prices` endpoint a page may fetch from another origin (CORS open), answering every
 * symbol with price 42 and a seq above any the feed server reaches in a test, so a polled
 * value always wins the merge and is easy to tell apart from a streamed one.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The running endpoint: its base URL (the client appends `/prices?symbols=…`). */
export interface PollEndpoint {
  url: string
  /** Requests answered so far. */
  requests(): number
  close(): Promise<void>
}

export async function startPollEndpoint(): Promise<PollEndpoint> {
  let requests = 0
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const symbols = (url.searchParams.get('symbols') ?? '').split(',').filter(Boolean)
    requests++
    const prices = Object.fromEntries(
      symbols.map((symbol) => [
        symbol,
        { seq: 1_000_000 + requests, ts: Date.now(), data: { price: 42 } },
      ]),
    )
    res
      .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
      .end(JSON.stringify({ prices, unknown: [] }))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
