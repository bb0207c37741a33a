/**
 * One client WebSocket: authentication, rate limit, the client frames of PROTOCOL.md
 * section 2, and the slow-client guard.
 *
 * Slow clients: before each delta frame the session looks at `bufferedAmount` (bytes queued
 * in `ws` and the Node socket, not yet taken by the kernel). Past `slowClientBytes` it stops
 * sending deltas, so a peer that never reads costs at most that bound plus one frame. Once the
 * buffer has drained to a quarter of the bound it sends a fresh snapshot of every subscribed
 * symbol: the client's state is whole again without replaying what it missed.
 */
import { WebSocket } from 'ws'
import { snapshotMessage, type FeedContext } from './context'
import type { PreparedDelta, Sink } from './hub'
import { deltaFrame, toBuffer } from './sessionFrames'
import {
  encodeMessage,
  parseClientFrame,
  type AppMessage,
  type ClientMessage,
  type ErrorMessage,
  type ServerMessage,
  type SnapshotMessage,
  type WireEncoding,
} from './messages'

/** Close code for a refused or missing token (PROTOCOL.md 4). */
export const CLOSE_UNAUTHORIZED = 4401
/** Close code when the server has no room for another connection. */
export const CLOSE_TOO_MANY = 4429
/** Close code of a server shutting down ("going away"). */
export const CLOSE_GOING_AWAY = 1001

type AuthState = 'waiting' | 'verifying' | 'done'

// Frames a client may send while its token is being verified (it sends auth then subscribes
// at once); past this it is misbehaving and is refused.
const MAX_PENDING_FRAMES = 200

/** One connected WebSocket client. */
export class Session implements Sink {
  /** True while deltas are skipped because the peer reads too slowly. */
  slow = false
  /** Heard from since the last liveness ping (see `checkAlive`). */
  private alive = true
  private auth: AuthState
  private readonly pending: Array<{ data: Buffer; isBinary: boolean }> = []
  private authTimer: NodeJS.Timeout | undefined
  private windowStart = 0
  private windowFrames = 0
  private limitedNotified = false

  constructor(
    readonly socket: WebSocket,
    readonly encoding: WireEncoding,
    private readonly context: FeedContext,
  ) {
    const { options } = context
    this.auth = options.verifyToken ? 'waiting' : 'done'
    if (this.auth === 'waiting') {
      this.authTimer = setTimeout(() => this.refuse('no auth frame in time'), options.authTimeoutMs)
    }
    socket.on('message', (data, isBinary) => {
      this.alive = true
      this.onFrame(toBuffer(data), isBinary)
    })
    socket.on('pong', () => {
      this.alive = true
    })
    this.send({ type: 'welcome', serverTime: context.now(), heartbeatMs: options.heartbeatMs })
  }

  /**
   * Liveness round, run by the server every `pingIntervalMs`: a peer that has sent nothing,
   * not even the automatic pong to the previous round's ping, is gone (a half-open TCP
   * connection never reports itself) and is terminated, so dead sockets do not pile up.
   */
  checkAlive(): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    if (!this.alive) {
      this.socket.terminate()
      return
    }
    this.alive = false
    this.socket.ping()
  }

  /** Drops this session's subscriptions and timers; called once the socket has closed. */
  dispose(): void {
    clearTimeout(this.authTimer)
    this.context.hub.removeSink(this)
  }

  /** Sends the deltas of one market step as one frame (a `batch` when more than one). */
  deliver(deltas: PreparedDelta[]): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    const { meters } = this.context
    meters.maxBufferedBytes = Math.max(meters.maxBufferedBytes, this.socket.bufferedAmount)
    if (this.slow) {
      // A recovery snapshot already holds this step's values: the deltas would be stale.
      if (!this.tryRecover()) this.context.meters.skipped++
      return
    }
    if (this.socket.bufferedAmount > this.context.options.slowClientBytes) {
      this.slow = true
      this.context.meters.skipped++
      return
    }
    this.write(deltaFrame(deltas, this.encoding))
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (!this.allowFrame()) return
    if (this.auth === 'verifying') {
      if (this.pending.length >= MAX_PENDING_FRAMES) this.refuse('too many frames before auth')
      else this.pending.push({ data, isBinary })
      return
    }
    const parsed = parseClientFrame(data, isBinary)
    if (this.auth === 'waiting') {
      if (parsed.ok && 'message' in parsed && parsed.message.type === 'auth')
        void this.verify(parsed.message.token)
      else this.refuse('the first frame must be auth')
      return
    }
    if (!parsed.ok) {
      this.sendError({
        code: 'bad_request',
        message: parsed.reason,
        ...(parsed.id !== undefined && { id: parsed.id }),
      })
      return
    }
    if ('app' in parsed) {
      const handler = this.context.options.onAppMessage
      if (handler) handler(parsed.app, (message) => this.send(message))
      else
        this.sendError({ code: 'bad_request', message: `unknown frame type "${parsed.app.type}"` })
      return
    }
    this.handle(parsed.message)
  }

  private handle(message: ClientMessage): void {
    const { hub, market } = this.context
    switch (message.type) {
      case 'auth':
        // Already authenticated: a late or repeated auth changes nothing.
        return
      case 'ping':
        this.send({ type: 'pong', ts: message.ts })
        return
      case 'unsubscribe':
        for (const symbol of message.symbols) hub.remove(this, symbol)
        return
      case 'subscribe':
      case 'resync': {
        const known = message.symbols.filter((s) => market.has(s))
        const unknown = message.symbols.filter((s) => !market.has(s))
        if (message.type === 'subscribe') for (const symbol of known) hub.add(this, symbol)
        if (unknown.length > 0) {
          const id =
            message.type === 'subscribe' && message.id !== undefined ? { id: message.id } : {}
          this.sendError({
            code: 'unknown_symbol',
            message: 'no such symbol',
            symbols: unknown,
            ...id,
          })
        }
        // While slow, the recovery sends every snapshot anyway; queuing them now would grow
        // the very buffer the guard protects.
        if (!this.slow) this.sendSnapshots(known)
        return
      }
    }
  }

  private async verify(token: string): Promise<void> {
    this.auth = 'verifying'
    let accepted = false
    try {
      accepted = await (
        this.context.options.verifyToken as (t: string) => boolean | Promise<boolean>
      )(token)
    } catch {
      accepted = false
    }
    if (this.socket.readyState !== WebSocket.OPEN) return
    if (!accepted) {
      this.refuse('token refused')
      return
    }
    clearTimeout(this.authTimer)
    this.auth = 'done'
    for (const frame of this.pending.splice(0)) this.onFrame(frame.data, frame.isBinary)
  }

  private refuse(reason: string): void {
    clearTimeout(this.authTimer)
    this.auth = 'waiting'
    this.pending.length = 0
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(CLOSE_UNAUTHORIZED, reason)
  }

  /** Counts a frame in the current window; false (and one `rate_limited`) past the limit. */
  private allowFrame(): boolean {
    const limit = this.context.options.rateLimit
    if (!limit) return true
    const now = this.context.now()
    if (now - this.windowStart >= limit.windowMs) {
      this.windowStart = now
      this.windowFrames = 0
      this.limitedNotified = false
    }
    this.windowFrames++
    if (this.windowFrames <= limit.maxFrames) return true
    if (!this.limitedNotified) {
      // One error per window: answering every dropped frame would let a flood amplify itself.
      this.limitedNotified = true
      const retryAfter = Math.max(
        0.1,
        Math.ceil((this.windowStart + limit.windowMs - now) / 100) / 10,
      )
      this.sendError({ code: 'rate_limited', message: 'too many frames', retryAfter })
    }
    return false
  }

  /** Sends a snapshot per symbol (default: every subscribed one) as one frame. */
  sendSnapshots(symbols: Iterable<string> = this.context.hub.symbolsOf(this)): void {
    const messages: SnapshotMessage[] = []
    for (const symbol of symbols) {
      const snapshot = snapshotMessage(this.context, symbol)
      if (snapshot) messages.push(snapshot)
    }
    const first = messages[0]
    if (!first) return
    this.send(messages.length === 1 ? first : { type: 'batch', messages })
  }

  /** Leaves the slow state once drained, with a snapshot per subscribed symbol. */
  private tryRecover(): boolean {
    if (!this.slow || this.socket.readyState !== WebSocket.OPEN) return false
    if (this.socket.bufferedAmount > this.context.options.slowClientBytes / 4) return false
    this.slow = false
    this.sendSnapshots()
    return true
  }

  private sendError(error: Omit<ErrorMessage, 'type'>): void {
    this.send({ type: 'error', ...error })
  }

  private send(message: ServerMessage | AppMessage): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    // Replies are small and client-driven (and rate limited), but a peer that never reads
    // must not grow them without end either: past twice the bound they are dropped.
    if (this.socket.bufferedAmount > 2 * this.context.options.slowClientBytes) {
      this.slow = true
      return
    }
    this.write(encodeMessage(message, this.encoding))
  }

  private write(frame: string | Buffer): void {
    const { meters } = this.context
    const buffered = this.socket.bufferedAmount
    if (buffered > meters.maxBufferedBytes) meters.maxBufferedBytes = buffered
    meters.frames.add(1)
    const bytes = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength
    meters.bytes.add(bytes)
    // `compress` matters only when the client negotiated permessage-deflate; tiny frames go
    // as they are (src/server/compression.ts).
    const compress = bytes >= this.context.options.compressMinBytes
    // The callback runs once the frame has left the Node buffer: the moment to check whether
    // a slow peer has caught up, even when none of its symbols moves again.
    this.socket.send(frame, { compress }, () => {
      if (this.slow) this.tryRecover()
    })
  }
}
