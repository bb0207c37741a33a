import type { TimerHandle, TimerProvider } from '../timers'

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

/**
 * One entry waiting on the open socket. `app` frames (from `send()`) go back to the offline
 * queue if the socket drops; a `make` entry is built only when its turn comes (see `pushLater`).
 */
type Pending =
  | { kind: 'frame'; message: unknown; app: boolean }
  | { kind: 'later'; key: string; make: () => unknown[] }

/** What the outbox needs. */
export interface OutboxOptions {
  timers: TimerProvider
  /** The protocol's `maxFramesPerSecond`; frames beyond it wait for the next slot. */
  maxFramesPerSecond?: number | undefined
  /**
   * Most application frames that may wait (the connection's `maxQueue`): a long rate-limit
   * hold or a slow pacer must not grow memory without end. The oldest are dropped first, as in
   * the offline queue. @defaultValue unbounded
   */
  maxPending?: number | undefined
  /** Told how many application frames were just dropped (for `stats.dropped`). */
  onDrop?: ((count: number) => void) | undefined
  /** Writes one message to the socket. */
  write(message: unknown): void
}

/** The ordered outbound path of one open socket. */
export interface Outbox {
  /** Sends in order, or waits behind a rate-limit hold or the pacing window. */
  push(message: unknown, app: boolean): void
  /**
   * Queues frames that `make` builds when their turn comes, so what they say is decided as late
   * as possible: a wanted set that changes ten times during a hold sends one diff, not ten.
   * While an entry of the same `key` still waits, the call joins it and adds nothing.
   */
  pushLater(key: string, make: () => unknown[]): void
  /** Sends now, past any hold or queue (a `ping`: it must not wait behind a rate limit). */
  sendNow(message: unknown): void
  /** Holds every frame given to `push` for `ms` (a server's `rate_limited`), then sends them in order. */
  holdFor(ms: number): void
  /** Whether a rate-limit hold is in force. */
  readonly held: boolean
  /** Entries waiting, count (a `pushLater` entry counts once). */
  readonly pending: number
  /** Application frames waiting (behind a rate-limit hold or the pacing window). */
  readonly appPending: number
  /** Stops its timers and returns the application frames never sent, oldest first. */
  close(): unknown[]
}

/** The longest delay setTimeout honours (about 24.8 days). */
const MAX_TIMER_DELAY_MS = 2_147_483_647

/** The one-second window servers count frames in (Binance: at most 5 a second). */
const WINDOW_MS = 1_000

/**
 * Added to the window when pacing. A server measures on arrival: the first frame of a burst
 * can reach it a few ms after it was written (a busy event loop, Nagle, a proxy) while a later
 * frame goes straight through, so a pacer that waits exactly one second by its own clock lets
 * the server see one frame too many in its second, and the server closes the socket (Binance:
 * 1008), which reconnects and bursts again. 100 ms covers such skew for a tenth of a second
 * of delay per window.
 */
export const PACING_MARGIN_MS = 100

/** How long a sent frame counts against `maxFramesPerSecond`. */
const PACED_WINDOW_MS = WINDOW_MS + PACING_MARGIN_MS

/**
 * Creates the outbox of one socket. Keeping frames in one ordered list (rather than sending
 * some directly) is what guarantees `auth`, then `subscribe`, then the queued frames, even
 * when a hold or the pacing window delays them.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { timers, write } = options
  const perSecond =
    options.maxFramesPerSecond !== undefined && options.maxFramesPerSecond > 0
      ? options.maxFramesPerSecond
      : undefined
  const maxApp =
    options.maxPending !== undefined && options.maxPending >= 0 ? options.maxPending : Infinity
  const queue: Pending[] = []
  const sentAt: number[] = []
  let appWaiting = 0
  let holdUntil = 0
  let timer: TimerHandle | undefined
  let closed = false

  const expire = (now: number): void => {
    while (sentAt.length > 0 && (sentAt[0] as number) <= now - PACED_WINDOW_MS) sentAt.shift()
  }

  const record = (now: number): void => {
    if (perSecond === undefined) return
    sentAt.push(now)
    expire(now)
  }

  const wakeAt = (at: number, now: number): void => {
    if (timer !== undefined) timers.clearTimeout(timer)
    // Hosts fire a delay past 2^31-1 ms at once; capped, a very long hold wakes, finds itself
    // still held and sleeps again, instead of spinning.
    timer = timers.setTimeout(
      () => {
        timer = undefined
        pump()
      },
      Math.min(MAX_TIMER_DELAY_MS, Math.max(0, at - now)),
    )
  }

  function pump(): void {
    if (closed) return
    while (queue.length > 0) {
      const now = timers.now()
      if (now < holdUntil) return wakeAt(holdUntil, now)
      if (perSecond !== undefined) {
        expire(now)
        if (sentAt.length >= perSecond) return wakeAt((sentAt[0] as number) + PACED_WINDOW_MS, now)
      }
      const head = queue[0] as Pending
      if (head.kind === 'later') {
        // Built only when a frame could go now, so it says what is true at that moment.
        const frames = head.make().filter((m) => m !== null && m !== undefined)
        queue.splice(
          0,
          1,
          ...frames.map((message): Pending => ({ kind: 'frame', message, app: false })),
        )
        continue
      }
      queue.shift()
      if (head.app) appWaiting -= 1
      record(now)
      write(head.message)
    }
  }

  /** Drops the oldest waiting application frames beyond `maxPending`. */
  function trim(): void {
    let over = appWaiting - maxApp
    if (over <= 0) return
    const dropped = over
    for (let i = 0; i < queue.length && over > 0;) {
      const entry = queue[i] as Pending
      if (entry.kind === 'frame' && entry.app) {
        queue.splice(i, 1)
        over -= 1
      } else {
        i += 1
      }
    }
    appWaiting -= dropped
    options.onDrop?.(dropped)
  }

  return {
    push(message, app) {
      if (closed) return
      queue.push({ kind: 'frame', message, app })
      if (app) appWaiting += 1
      // Only the head may go now; if a timer is waiting, the queue is already blocked.
      if (timer === undefined) pump()
      // After the pump: a frame that can go at once is never dropped, even with maxQueue 0.
      trim()
    },
    pushLater(key, make) {
      if (closed) return
      if (queue.some((p) => p.kind === 'later' && p.key === key)) return
      queue.push({ kind: 'later', key, make })
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
    get appPending() {
      return appWaiting
    },
    close() {
      closed = true
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
      // Unbuilt entries are dropped: the next socket is sent the wanted set afresh.
      const app = queue.flatMap((p) => (p.kind === 'frame' && p.app ? [p.message] : []))
      queue.length = 0
      appWaiting = 0
      return app
    },
  }
}
