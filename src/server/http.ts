/**
 * The HTTP side of the feed server: REST snapshot (PROTOCOL.md 5), Server-Sent Events
 * (PROTOCOL.md 6), `/health` and `/metrics`. Every answer carries permissive CORS headers:
 * Storybook and demo pages run on another origin and must be able to read them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { snapshotMessage, type FeedContext } from './context'
import type { PreparedDelta, Sink } from './hub'
import { MAX_SYMBOLS_PER_FRAME, parseSymbolList, type ServerMessage } from './messages'

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, last-event-id, cache-control',
  'access-control-max-age': '600',
} as const

/** What the HTTP handler needs from the server beyond the shared context. */
export interface HttpHooks {
  /** Open SSE streams: the handler adds and removes them. */
  streams: Set<SseStream>
  /** Whether one more connection (socket or stream) is allowed. */
  hasRoom(): boolean
  /** Body of `/metrics`. */
  metrics(): unknown
  /** Body of `/health`; `status: 'degraded'` answers 503 (load balancers take the node out). */
  health(): { status: string; reason?: string }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...CORS_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  })
  res.end(text)
}

function badRequest(res: ServerResponse, message: string): void {
  sendJson(res, 400, { type: 'error', code: 'bad_request', message })
}

/**
 * Most symbols one SSE stream may name. PROTOCOL.md section 6 sets no limit (the client puts
 * its whole wanted set in one URL), so this only guards the URL's size: about 12 KB of names.
 */
export const MAX_SSE_SYMBOLS = 1_000

/** Reads and checks `?symbols=`: 1 to `max` names, or a 400 already sent. */
function readSymbols(url: URL, res: ServerResponse, max: number): string[] | undefined {
  const symbols = parseSymbolList(url.searchParams.get('symbols'))
  if (symbols.length === 0) {
    badRequest(res, 'symbols query parameter is required (symbols=A,B,C)')
    return undefined
  }
  if (symbols.length > max) {
    badRequest(res, `at most ${max} symbols per request (got ${symbols.length})`)
    return undefined
  }
  return symbols
}

/**
 * One SSE client. As a WebSocket session does (see session.ts), it stops writing deltas while
 * the response's buffered bytes exceed `slowClientBytes`, and once the buffer has drained it
 * sends a snapshot per symbol: a reader that stalls costs at most the bound plus one write.
 */
export class SseStream implements Sink {
  slow = false

  constructor(
    private readonly res: ServerResponse,
    private readonly context: FeedContext,
    readonly symbols: readonly string[],
  ) {}

  /** Writes the headers, a snapshot per known symbol and an error for the unknown ones. */
  start(): void {
    const { market, hub } = this.context
    this.res.writeHead(200, {
      ...CORS_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back.
      'x-accel-buffering': 'no',
    })
    // 'drain' fires when the buffer has emptied after a write past the high-water mark.
    this.res.on('drain', () => {
      if (this.slow) this.recover()
    })
    const unknown = this.symbols.filter((s) => !market.has(s))
    let text = 'retry: 1000\n\n'
    if (unknown.length > 0) {
      text += event({
        type: 'error',
        code: 'unknown_symbol',
        message: 'no such symbol',
        symbols: unknown,
      })
    }
    this.write(text)
    for (const symbol of this.symbols) if (market.has(symbol)) hub.add(this, symbol)
    this.sendSnapshots()
  }

  deliver(deltas: PreparedDelta[]): void {
    if (this.res.writableEnded) return
    const { meters, options } = this.context
    const buffered = this.res.writableLength
    if (buffered > meters.maxBufferedBytes) meters.maxBufferedBytes = buffered
    if (this.slow && buffered <= options.slowClientBytes / 4) {
      // A recovery snapshot already holds this step's values.
      this.recover()
      return
    }
    if (this.slow || buffered > options.slowClientBytes) {
      this.slow = true
      meters.skipped++
      return
    }
    this.write(deltas.map((d) => `data: ${d.json}\n\n`).join(''))
  }

  /** Ends the response (server closing). */
  close(): void {
    if (!this.res.writableEnded) this.res.end()
  }

  /** Sends a snapshot event per symbol (default: every subscribed one). */
  sendSnapshots(symbols: Iterable<string> = this.context.hub.symbolsOf(this)): void {
    let text = ''
    for (const symbol of symbols) {
      const snapshot = snapshotMessage(this.context, symbol)
      if (snapshot) text += event(snapshot)
    }
    if (text) this.write(text)
  }

  private recover(): void {
    this.slow = false
    if (!this.res.writableEnded) this.sendSnapshots()
  }

  private write(text: string): void {
    const { meters } = this.context
    meters.frames.add(1)
    meters.bytes.add(Buffer.byteLength(text))
    // The return value is only advice: the bound above, not the 16 KiB high-water mark,
    // decides when this stream counts as slow.
    this.res.write(text)
  }
}

function event(message: ServerMessage): string {
  return `data: ${JSON.stringify(message)}\n\n`
}

/** Answers `/prices` (PROTOCOL.md 5) from the market, or from `fetchSnapshots` when set. */
async function sendPrices(
  context: FeedContext,
  hooks: HttpHooks,
  res: ServerResponse,
  symbols: string[],
): Promise<void> {
  const { market, fetchSnapshots } = context
  const fetched = fetchSnapshots ? await fetchSnapshots(symbols) : undefined
  if (fetchSnapshots && !fetched) {
    const reason = hooks.health().reason ?? 'prices unavailable'
    sendJson(res, 503, { type: 'error', code: 'unavailable', message: reason })
    return
  }
  const prices: Record<string, { seq: number; ts: number; data: Record<string, number> }> = {}
  const unknown: string[] = []
  for (const symbol of symbols) {
    const snap = fetched ? fetched.get(symbol) : market.snapshot(symbol)
    if (snap) prices[symbol] = { seq: snap.seq, ts: snap.ts, data: { ...snap.data } }
    else unknown.push(symbol)
  }
  sendJson(res, 200, { prices, unknown })
}

/** Builds the request listener of the feed server's HTTP side. */
export function createHttpHandler(context: FeedContext, hooks: HttpHooks) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS)
      res.end()
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { type: 'error', code: 'bad_request', message: 'only GET is supported' })
      return
    }
    switch (url.pathname) {
      case '/health': {
        const health = hooks.health()
        sendJson(res, health.status === 'degraded' ? 503 : 200, health)
        return
      }
      case '/metrics':
        sendJson(res, 200, hooks.metrics())
        return
      case '/prices': {
        // PROTOCOL.md section 5: at most 100 symbols per REST request.
        const symbols = readSymbols(url, res, MAX_SYMBOLS_PER_FRAME)
        if (symbols) void sendPrices(context, hooks, res, symbols)
        return
      }
      case '/stream': {
        const symbols = readSymbols(url, res, MAX_SSE_SYMBOLS)
        if (!symbols) return
        if (!hooks.hasRoom()) {
          sendJson(res, 429, {
            type: 'error',
            code: 'too_many_connections',
            message: 'server is full',
          })
          return
        }
        const stream = new SseStream(res, context, symbols)
        hooks.streams.add(stream)
        res.on('close', () => {
          hooks.streams.delete(stream)
          context.hub.removeSink(stream)
        })
        stream.start()
        return
      }
      default:
        sendJson(res, 404, {
          type: 'error',
          code: 'not_found',
          message: `no route ${url.pathname}`,
        })
    }
  }
}
