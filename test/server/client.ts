/**
 * A small real WebSocket client for the server tests: it decodes every frame (binary as
 * MessagePack, text as JSON), keeps them in order, and lets a test wait for the one it wants.
 */
import { WebSocket } from 'ws'
import { decodeMsgpack } from '../../src/server'

/** A decoded server message; tests read fields through this loose shape. */
export interface Msg {
  type: string
  symbol?: string
  seq?: number
  ts?: number
  code?: string
  symbols?: string[]
  retryAfter?: number
  id?: number
  data?: Record<string, unknown>
  messages?: Msg[]
  [key: string]: unknown
}

export interface TestClient {
  ws: WebSocket
  /** Every message received, in order. */
  messages: Msg[]
  /** Frames received as binary. */
  binaryFrames: number
  /** Frames received, and how many of them were `batch` frames. */
  frames: number
  batches: number
  send(message: unknown): void
  /** Resolves with the first message (past or future) matching `match`. */
  waitFor(match: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg>
  /** Resolves with the close code. */
  closed: Promise<number>
  close(): Promise<void>
}

/** Flattens batches: the snapshots and deltas a client would apply, in order. */
export function flatten(messages: Msg[]): Msg[] {
  return messages.flatMap((m) => (m.type === 'batch' ? (m.messages ?? []) : [m]))
}

/**
 * Opens a client. With `keep: false` messages are counted but not kept (a load test must not
 * measure the test client's own memory).
 */
export function connect(
  url: string,
  protocols: string[] = ['tickwire.v1.json'],
  { keep = true }: { keep?: boolean } = {},
): Promise<TestClient> {
  const ws = new WebSocket(url, protocols)
  const messages: Msg[] = []
  const waiters = new Set<{ match: (m: Msg) => boolean; resolve: (m: Msg) => void }>()
  const client: TestClient = {
    ws,
    messages,
    binaryFrames: 0,
    frames: 0,
    batches: 0,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    waitFor(match, timeoutMs = 3000) {
      const found = messages.find(match)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: Msg) => {
            clearTimeout(timer)
            resolve(m)
          },
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(
            new Error(
              `no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages.slice(-5))}`,
            ),
          )
        }, timeoutMs)
        waiters.add(waiter)
      })
    },
    closed: new Promise((resolve) => ws.once('close', (code) => resolve(code))),
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return
      // A paused client cannot read the server's close frame: do not wait for the handshake.
      if (ws.isPaused) ws.terminate()
      else ws.close()
      await client.closed
    },
  }
  ws.on('message', (data, isBinary) => {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])
    if (isBinary) client.binaryFrames++
    client.frames++
    const message = (isBinary ? decodeMsgpack(buffer) : JSON.parse(buffer.toString())) as Msg
    if (message.type === 'batch') client.batches++
    if (keep) messages.push(message)
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.delete(waiter)
        waiter.resolve(message)
      }
    }
  })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client))
    ws.once('error', reject)
  })
}
