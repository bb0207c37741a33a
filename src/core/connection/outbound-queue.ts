import type { TimerHandle, TimerProvider } from '../timers'
import { createPacingWindow } from './pacing'
import { PendingFrames } from './pending-frames'

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

/**
 * Creates the outbox of one socket. Keeping frames in one ordered list (rather than sending
 * some directly) is what guarantees `auth`, then `subscribe`, then the queued frames, even
 * when a hold or the pacing window delays them.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { timers, write } = options
  const pacing = createPacingWindow(options.maxFramesPerSecond)
  const frames = new PendingFrames(options.maxPending)
  let holdUntil = 0
  let timer: TimerHandle | undefined
  let closed = false

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
    while (frames.size > 0) {
      const now = timers.now()
      if (now < holdUntil) return wakeAt(holdUntil, now)
      const slot = pacing.blockedUntil(now)
      if (slot !== undefined) return wakeAt(slot, now)
      // Built only when a frame could go now, so it says what is true at that moment.
      if (frames.buildHead()) continue
      const message = frames.shift()
      pacing.record(now)
      write(message)
    }
  }

  return {
    push(message, app) {
      if (closed) return
      frames.push(message, app)
      // Only the head may go now; if a timer is waiting, the queue is already blocked.
      if (timer === undefined) pump()
      // After the pump: a frame that can go at once is never dropped, even with maxQueue 0.
      const dropped = frames.trim()
      if (dropped > 0) options.onDrop?.(dropped)
    },
    pushLater(key, make) {
      if (closed) return
      if (frames.pushLater(key, make) && timer === undefined) pump()
    },
    sendNow(message) {
      if (closed) return
      pacing.record(timers.now())
      write(message)
    },
    holdFor(ms) {
      if (closed) return
      const now = timers.now()
      holdUntil = Math.max(holdUntil, now + Math.max(0, ms))
      if (frames.size > 0) wakeAt(holdUntil, now)
    },
    get held() {
      return timers.now() < holdUntil
    },
    get pending() {
      return frames.size
    },
    get appPending() {
      return frames.appCount
    },
    close() {
      closed = true
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
      return frames.clear()
    },
  }
}
