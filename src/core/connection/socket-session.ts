import { encoderFor } from '../codecs/index'
import type { Codec, Frame } from '../codecs/types'
import { chunk } from '../subscriptions/socket-subscriptions'
import { startHeartbeat, type Heartbeat } from './heartbeat'
import { createFrameWriter } from './frame-writer'
import { createOutbox, type Outbox } from './outbound-queue'
import type { ProtocolAdapter } from '../protocols/types'
import { socketSubscriptions } from '../subscriptions/socket-subscriptions'
import type { TimerProvider } from '../timers'
import type { Transport } from '../transports/types'

/** What one open socket needs from its connection. */
export interface SocketSessionOptions {
  timers: TimerProvider
  protocol: ProtocolAdapter
  transport: Transport
  /** The subprotocol the server picked (`''` for none): it chooses the outbound encoder. */
  subprotocol: string
  codecs: Readonly<Record<string, Codec>>
  /** Most symbols per subscribe, unsubscribe or resync frame (at most 100). */
  maxPerFrame: number
  /** `maxQueue`: most application frames that may wait on this socket too. */
  maxQueue: number
  heartbeatIntervalMs: number
  staleTimeoutMs: number
  /**
   * An event stream (SSE): the symbols travel in its URL, nothing can be sent on it, and there
   * is no ping, so staleness alone watches it.
   */
  oneWay: boolean
  /** The connection's wanted set of the moment (held symbols and those whose release waits). */
  wanted(): ReadonlySet<string>
  /** The held part of it: what a new subscription may add. */
  held(): ReadonlySet<string>
  /** One frame was written (`bytes` as `stats.bytesOut` counts them); `frame` is `null` for `auth`. */
  onWritten(bytes: number, frame: Frame | null): void
  /** Application frames dropped because more than `maxQueue` waited. */
  onDropped(count: number): void
  /** A frame could not be encoded (`counted: false`) or the socket refused it (`counted: true`, a `stats.errors`). */
  onWriteError(message: string, counted: boolean): void
  /** Silence past `staleTimeoutMs`: the heartbeat has stopped itself. */
  onStale(): void
}

/**
 * One open socket: what it was told to stream, its ordered outbound path (rate-limit hold,
 * pacing, `maxQueue`), its encoder and its heartbeat. A new socket gets a new session, so
 * nothing of an old socket (ids, subscriptions, a hold) carries over (PROTOCOL.md section 2).
 */
export interface SocketSession {
  /** Name of the codec outbound frames use (inbound frames are read by their own kind). */
  readonly codecName: string
  /**
   * The open sequence of PROTOCOL.md section 2: `auth` when there is a token, then the wanted
   * set (for SSE, `symbols` the stream was opened with, sent by nothing), then `queued` in
   * order; then the heartbeat starts.
   */
  begin(token: string | undefined, symbols: readonly string[], queued: readonly unknown[]): void
  /** Brings the server in step with `wanted()`: one diff, built when its frames can go. */
  syncWanted(): void
  /** Asks for fresh snapshots; symbols asked for again before the frame goes are sent once. */
  resync(symbols: readonly string[]): void
  /** An application frame. */
  send(message: unknown): void
  /** Application frames given to `send` and not yet written (a rate-limit hold, pacing). */
  readonly queued: number
  /** A server's `rate_limited`: every frame but `ping` waits `ms`. */
  holdFor(ms: number): void
  /** The server refused these symbols: no longer subscribed here, a later want subscribes afresh. */
  forget(symbols: readonly string[]): void
  /** A frame arrived: the socket lives. */
  frameReceived(): void
  /** A server's advice for ping spacing (`welcome.heartbeatMs`). */
  adviseInterval(ms: number): void
  /** Stops the heartbeat and the outbox; returns the application frames never sent, oldest first. */
  close(): unknown[]
}

/** Creates the session of a socket that has just opened. */
export function openSocketSession(options: SocketSessionOptions): SocketSession {
  const { timers, protocol, transport, maxPerFrame, wanted, held } = options
  const encoder = encoderFor(options.subprotocol, options.codecs)
  const subs = socketSubscriptions(protocol, maxPerFrame)
  // Symbols given to resync() and not sent yet: one frame per symbol however often asked.
  const resyncWaiting = new Set<string>()
  let heartbeat: Heartbeat | null = null
  const writer = createFrameWriter(encoder, transport, options)

  const outbox: Outbox = createOutbox({
    timers,
    maxFramesPerSecond: protocol.maxFramesPerSecond,
    // Application frames held by a rate limit or the pacer are bounded as when offline.
    maxPending: options.maxQueue,
    onDrop: options.onDropped,
    write: writer.write,
  })

  // Built when it can go, so changes made during a hold or the pacing wait send one diff.
  const syncWanted = (): void => outbox.pushLater('diff', () => subs.diff(wanted(), held()))

  return {
    codecName: encoder.name,
    begin(token, symbols, queued) {
      if (token !== undefined) {
        const auth = protocol.auth(token)
        writer.setAuth(auth)
        if (auth !== null && auth !== undefined) outbox.push(auth, false)
      }
      if (options.oneWay) subs.assume(symbols)
      else syncWanted()
      for (const message of queued) outbox.push(message, true)
      heartbeat = startSessionHeartbeat(options, outbox)
    },
    syncWanted,
    resync(symbols) {
      for (const symbol of symbols) resyncWaiting.add(symbol)
      outbox.pushLater('resync', () => {
        const due = [...resyncWaiting]
        resyncWaiting.clear()
        return chunk(due, maxPerFrame).map((part) => protocol.resync(part))
      })
    },
    send(message) {
      outbox.push(message, true)
    },
    get queued() {
      return outbox.appPending
    },
    holdFor(ms) {
      outbox.holdFor(ms)
    },
    forget(symbols) {
      subs.forget(symbols)
    },
    frameReceived() {
      heartbeat?.frameReceived()
    },
    adviseInterval(ms) {
      heartbeat?.adviseInterval(ms)
    },
    close() {
      heartbeat?.stop()
      heartbeat = null
      return outbox.close()
    },
  }
}

/**
 * The heartbeat of an open socket; pings go past any hold or queue (`sendNow`). A one-way
 * socket, or a protocol without a ping, is watched for silence only.
 */
function startSessionHeartbeat(options: SocketSessionOptions, outbox: Outbox): Heartbeat {
  const { protocol, timers } = options
  const ping = options.oneWay ? null : protocol.ping(0)
  return startHeartbeat({
    timers,
    intervalMs: options.heartbeatIntervalMs,
    staleTimeoutMs: options.staleTimeoutMs,
    ping:
      ping === null || ping === undefined
        ? undefined
        : () => outbox.sendNow(protocol.ping(timers.now())),
    onStale: options.onStale,
  })
}
