/**
 * An in-process tickwire feed server for tests: a real `ws` WebSocketServer on 127.0.0.1,
 * port 0 by default, that records every frame it receives and misbehaves on command.
 *
 * ```ts
 * const server = await createTestServer()
 * const conn = createConnection('default', { url: server.url, WebSocket }, callbacks, deps)
 * await server.waitFor(() => server.openNow === 1)
 * expect(server.sockets[0]!.received).toEqual([{ type: 'subscribe', id: 1, symbols: ['BTC-USD'] }])
 * await server.close()
 * ```
 *
 * Defaults: answers `ping` with `pong`, answers each `subscribe` with one snapshot per symbol
 * (seq tracked per symbol, reset by `restart()`), picks the first offered subprotocol it
 * knows. Nothing here uses timers, so tests may fake them freely; `waitFor` polls on real
 * I/O turns (setImmediate), which `vi.useFakeTimers({ toFake: [...] })` leaves alone unless
 * asked to fake it.
 */
import { pack, unpack } from 'msgpackr'
import { WebSocketServer, type WebSocket, type RawData } from 'ws'
import type { AddressInfo } from 'node:net'
import type { IncomingMessage } from 'node:http'

/** One socket the server accepted, in the order they connected. */
export interface TestSocket {
  /** Index in `server.sockets`. */
  readonly index: number
  /** The negotiated subprotocol ('' when none). */
  readonly protocol: string
  /** Every frame received, decoded (JSON text or MessagePack binary); `{ __raw }` when undecodable. */
  readonly received: unknown[]
  /** Raw frames as received (string for text, Buffer for binary), for size and kind checks. */
  readonly raw: (string | Buffer)[]
  /** Whether the socket is still open. */
  readonly open: boolean
  /** Close code seen from the client, when it closed. */
  readonly closeCode: number | undefined
  /** The underlying `ws` socket, for anything not covered here. */
  readonly ws: WebSocket
}

/** How the server turns away new connections: close them right after the upgrade, or refuse the upgrade (HTTP 503). */
export type RefuseMode = 'close' | 'reject'

/** Options of `createTestServer`. */
export interface TestServerOptions {
  /** Port to listen on. @defaultValue 0 (any free port); pass an old port to "restart" a server. */
  port?: number
  /** Reply to `ping` with `pong`. @defaultValue true */
  autoPong?: boolean
  /** Reply to `subscribe` with one snapshot per symbol. @defaultValue true */
  autoSnapshot?: boolean
  /**
   * Picks the subprotocol from the client's offer; `false` picks none.
   * @defaultValue the first offered of `tickwire.v1.json` / `tickwire.v1.msgpack`
   */
  pickProtocol?: (offered: string[]) => string | false
}

/** The server handle; every field is live. */
export interface TestServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** Every socket ever accepted, oldest first. */
  readonly sockets: readonly TestSocket[]
  /** Sockets ever opened (accepted upgrades, refused-by-close ones included). */
  readonly opened: number
  /** Upgrade requests seen, rejected ones included: how many times a client tried. */
  readonly upgrades: number
  /** Sockets open now. */
  readonly openNow: number
  /** The last socket accepted. */
  readonly last: TestSocket | undefined
  /** All frames received on all sockets, in order of arrival. */
  readonly received: readonly unknown[]
  /** Switchable behaviour (see TestServerOptions). */
  autoPong: boolean
  autoSnapshot: boolean
  pickProtocol: (offered: string[]) => string | false
  /** Symbols that `subscribe` answers with an `unknown_symbol` error instead of a snapshot. */
  readonly unknownSymbols: Set<string>
  /** Sends a message (encoded for the socket's protocol) to one socket, or to all open ones. */
  send(message: unknown, socket?: TestSocket | number): void
  /** Sends raw data as is: a string goes as a text frame, a Buffer as a binary frame. */
  sendRaw(data: string | Buffer, socket?: TestSocket | number): void
  /** A snapshot message for `symbol` with the next seq (the counter is shared by all sockets). */
  snapshot(symbol: string, data?: Record<string, unknown>): Record<string, unknown>
  /** A delta message for `symbol` with the next seq. */
  delta(symbol: string, data: Record<string, unknown>): Record<string, unknown>
  /** Terminates every socket (no closing handshake: the client sees 1006). */
  dropAll(): void
  /** Closes every open socket with this code. */
  closeAll(code: number, reason?: string): void
  /** While stalled the server answers nothing and sends nothing, and keeps sockets open. */
  stall(stalled: boolean): void
  /** Turns away new connections: the next `count` ones, or all until `accept()` when count is absent. */
  refuse(mode: RefuseMode, count?: number, closeCode?: number): void
  /** Accepts new connections again. */
  accept(): void
  /** Terminates every socket and resets the seq counters, but keeps listening (a restarted feed). */
  restart(): void
  /** Resolves when `predicate()` is true, checked after every I/O turn; rejects after `timeoutMs` of real time. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>
  /** Terminates clients, then closes the server. Idempotent. */
  close(): Promise<void>
}

const KNOWN = ['tickwire.v1.json', 'tickwire.v1.msgpack']

function defaultPick(offered: string[]): string | false {
  return offered.find((p) => KNOWN.includes(p)) ?? false
}

/** Starts a test server; resolves once it listens. */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const sockets: (TestSocket & { open: boolean; closeCode: number | undefined })[] = []
  const allReceived: unknown[] = []
  const seqs = new Map<string, number>()
  let stalled = false
  let refusing: { mode: RefuseMode; left: number; code: number } | null = null
  let opened = 0
  let upgrades = 0
  let closed = false

  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    handleProtocols: (protocols) => server.pickProtocol([...protocols]),
    verifyClient: (_info: { req: IncomingMessage }, cb: (ok: boolean, code?: number) => void) => {
      upgrades += 1
      if (refusing?.mode === 'reject') {
        consumeRefusal()
        cb(false, 503)
        return
      }
      cb(true)
    },
  })
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', () => resolve())
    wss.once('error', reject)
  })
  const port = (wss.address() as AddressInfo).port

  function consumeRefusal(): void {
    if (!refusing) return
    refusing.left -= 1
    if (refusing.left <= 0) refusing = null
  }

  function target(socket?: TestSocket | number): TestSocket[] {
    if (socket === undefined) return sockets.filter((s) => s.open)
    const s = typeof socket === 'number' ? sockets[socket] : socket
    return s ? [s] : []
  }

  function encode(s: TestSocket, message: unknown): string | Buffer {
    return s.protocol === 'tickwire.v1.msgpack' ? pack(message) : JSON.stringify(message)
  }

  function nextSeq(symbol: string): number {
    const seq = (seqs.get(symbol) ?? -1) + 1
    seqs.set(symbol, seq)
    return seq
  }

  function decode(data: RawData, isBinary: boolean): unknown {
    try {
      if (isBinary) return unpack(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]))
      return JSON.parse(String(data))
    } catch {
      return { __raw: isBinary ? data : String(data) }
    }
  }

  function answer(s: TestSocket, msg: unknown): void {
    if (stalled || typeof msg !== 'object' || msg === null) return
    const m = msg as Record<string, unknown>
    if (m.type === 'ping' && server.autoPong) server.send({ type: 'pong', ts: m.ts }, s)
    if (m.type === 'subscribe' && server.autoSnapshot && Array.isArray(m.symbols)) {
      const unknown: string[] = []
      for (const symbol of m.symbols as string[]) {
        if (server.unknownSymbols.has(symbol)) unknown.push(symbol)
        else server.send(server.snapshot(symbol), s)
      }
      if (unknown.length > 0) {
        server.send(
          {
            type: 'error',
            code: 'unknown_symbol',
            message: 'no such symbol',
            symbols: unknown,
            id: m.id,
          },
          s,
        )
      }
    }
  }

  wss.on('connection', (ws, req) => {
    opened += 1
    const s = {
      index: sockets.length,
      protocol: ws.protocol,
      received: [] as unknown[],
      raw: [] as (string | Buffer)[],
      open: true,
      closeCode: undefined as number | undefined,
      ws,
    }
    sockets.push(s)
    ws.on('close', (code) => {
      s.open = false
      s.closeCode = code
    })
    ws.on('error', () => undefined)
    if (refusing?.mode === 'close') {
      const code = refusing.code
      consumeRefusal()
      ws.close(code, 'refused')
      return
    }
    void req
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? (data as Buffer) : String(data)
      s.raw.push(raw)
      const msg = decode(data, isBinary)
      s.received.push(msg)
      allReceived.push(msg)
      answer(s, msg)
    })
  })

  const server: TestServer = {
    url: `ws://127.0.0.1:${port}`,
    port,
    get sockets() {
      return sockets
    },
    get opened() {
      return opened
    },
    get upgrades() {
      return upgrades
    },
    get openNow() {
      return sockets.filter((s) => s.open).length
    },
    get last() {
      return sockets[sockets.length - 1]
    },
    get received() {
      return allReceived
    },
    autoPong: options.autoPong ?? true,
    autoSnapshot: options.autoSnapshot ?? true,
    pickProtocol: options.pickProtocol ?? defaultPick,
    unknownSymbols: new Set<string>(),
    send(message, socket) {
      if (stalled) return
      for (const s of target(socket)) if (s.open) s.ws.send(encode(s, message))
    },
    sendRaw(data, socket) {
      if (stalled) return
      for (const s of target(socket))
        if (s.open) s.ws.send(data, { binary: typeof data !== 'string' })
    },
    snapshot(symbol, data) {
      return {
        type: 'snapshot',
        symbol,
        seq: nextSeq(symbol),
        ts: Date.now(),
        data: data ?? { price: 100 },
      }
    },
    delta(symbol, data) {
      return { type: 'delta', symbol, seq: nextSeq(symbol), ts: Date.now(), data }
    },
    dropAll() {
      for (const s of sockets) if (s.open) s.ws.terminate()
    },
    closeAll(code, reason = '') {
      for (const s of sockets) if (s.open) s.ws.close(code, reason)
    },
    stall(value) {
      stalled = value
    },
    refuse(mode, count = Number.POSITIVE_INFINITY, closeCode = 1013) {
      refusing = { mode, left: count, code: closeCode }
    },
    accept() {
      refusing = null
    },
    restart() {
      for (const s of sockets) if (s.open) s.ws.terminate()
      seqs.clear()
    },
    waitFor(predicate, timeoutMs = 2_000) {
      // performance.now() is real time unless a test fakes it on purpose.
      const start = performance.now()
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          let ok = false
          try {
            ok = predicate()
          } catch (err) {
            reject(err as Error)
            return
          }
          if (ok) resolve()
          else if (performance.now() - start > timeoutMs)
            reject(new Error(`waitFor: not true after ${timeoutMs} ms`))
          else setImmediate(check)
        }
        check()
      })
    },
    async close() {
      if (closed) return
      closed = true
      for (const s of sockets) s.ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
  return server
}
