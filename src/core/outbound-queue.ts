import type { TimerHandle, TimerProvider } from './timers'

/**
 * The frames `send()` is given while no socket is open: at most `max` (the connection's
 * `maxQueue`, default 1000), the oldest dropped first because the newest application
 * messages are the ones still worth sending when the socket comes back.
 */
export class BoundedQueue<T> {
  private items: T[] = []
  constructor(private readonly max: number) {}

  get size(): number {
    return this.items.length
  }

  /** Adds at the end; returns how many old items were dropped to make room. */
  push(item: T): number {
    this.items.push(item)
    return this.trim()
  }

  /** Puts items back at the front (frames a dropped socket never sent); returns how many were dropped. */
  prepend(items: readonly T[]): number {
    if (items.length === 0) return 0
    this.items = [...items, ...this.items]
    return this.trim()
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const out = this.items
    this.items = []
    return out
  }

  private trim(): number {
    const over = this.items.length - Math.max(0, this.max)
    if (over <= 0) return 0
    this.items.splice(0, over)
    return over
  }
}

/** One frame waiting on the open socket; `app` frames go back to the offline queue if the socket drops. */
interface Pending {
  message: unknown
  app: boolean
}

/** What the outbox needs. */
export interface OutboxOptions {
  timers: TimerProvider
  /** The protocol's `maxFramesPerSecond`; frames beyond it wait for the next slot. */
  maxFramesPerSecond?: number | undefined
  /** Writes one message to the socket. */
  write(message: unknown): void
}

/** The ordered outbound path of one open socket. */
export interface Outbox {
  /** Sends in order, or waits behind a rate-limit hold or the pacing window. */
  push(message: unknown, app: boolean): void
  /** Sends now, past any hold or queue (a `ping`: it must not wait behind a rate limit). */
  sendNow(message: unknown): void
  /** Holds every frame given to `push` for `ms` (a server's `rate_limited`), then sends them in order. */
  holdFor(ms: number): void
  /** Whether a rate-limit hold is in force. */
  readonly held: boolean
  /** Frames waiting, count. */
  readonly pending: number
  /** Stops its timers and returns the application frames never sent, oldest first. */
  close(): unknown[]
}

const WINDOW_MS = 1_000

/**
 * Creates the outbox of one socket. Keeping frames in one ordered list (rather than sending
 * some directly) is what guarantees `auth`, then `subscribe`, then the queued frames, even
 * when a hold or the pacing window delays them.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { timers, write } = options
  const perSecond = options.maxFramesPerSecond !== undefined && options.maxFramesPerSecond > 0 ? options.maxFramesPerSecond : undefined
  const queue: Pending[] = []
  const sentAt: number[] = []
  let holdUntil = 0
  let timer: TimerHandle | undefined
  let closed = false

  const record = (now: number): void => {
    if (perSecond === undefined) return
    sentAt.push(now)
    while (sentAt.length > 0 && (sentAt[0] as number) <= now - WINDOW_MS) sentAt.shift()
  }

  const wakeAt = (at: number, now: number): void => {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = timers.setTimeout(() => {
      timer = undefined
      pump()
    }, Math.max(0, at - now))
  }

  function pump(): void {
    if (closed) return
    while (queue.length > 0) {
      const now = timers.now()
      if (now < holdUntil) return wakeAt(holdUntil, now)
      if (perSecond !== undefined) {
        while (sentAt.length > 0 && (sentAt[0] as number) <= now - WINDOW_MS) sentAt.shift()
        if (sentAt.length >= perSecond) return wakeAt((sentAt[0] as number) + WINDOW_MS, now)
      }
      const next = queue.shift() as Pending
      record(now)
      write(next.message)
    }
  }

  return {
    push(message, app) {
      if (closed) return
      queue.push({ message, app })
      // Only the head may go now; if a timer is waiting, the queue is already blocked.
      if (timer === undefined) pump()
    },
    sendNow(message) {
      if (closed) return
      record(timers.now())
      write(message)
    },
    holdFor(ms) {
      if (closed) return
      const now = timers.now()
      holdUntil = Math.max(holdUntil, now + Math.max(0, ms))
      if (queue.length > 0) wakeAt(holdUntil, now)
    },
    get held() {
      return timers.now() < holdUntil
    },
    get pending() {
      return queue.length
    },
    close() {
      closed = true
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
      const app = queue.filter((p) => p.app).map((p) => p.message)
      queue.length = 0
      return app
    },
  }
}
