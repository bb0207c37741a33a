/**
 * The publisher lease: one key in Redis holding the active publisher's token with a TTL.
 * A publisher takes it with `SET key token NX PX ttl`, renews it with a check-and-set script
 * (only while the value is still its token) and deletes it the same way when it stops. A
 * standby retries the `SET NX` every `renewMs`, so it takes over at most `ttlMs + renewMs`
 * after the active one dies without releasing.
 *
 * The lease alone cannot stop a paused publisher that wakes up after losing it; the publish
 * script (scripts.ts) checks the token in the same atomic step as it writes, which can.
 */
import type { Redis } from 'ioredis'
import { runScript } from './client'
import { RELEASE_LEASE, RENEW_LEASE } from './scripts'

/** Options of {@link createLease}. */
export interface LeaseOptions {
  redis: Redis
  key: string
  /** This holder's unique value of the key. */
  token: string
  ttlMs: number
  /** Renew (or, as a standby, try to take) every this many ms. */
  renewMs: number
  /** Called when the lease is won (true) or lost (false). */
  onChange(held: boolean): void
  /** Failed Redis calls (the lease is then judged by its TTL). */
  onError(error: Error): void
  now?: () => number
}

/** A running lease loop. */
export interface Lease {
  /** Whether this holder had the lease at its last successful check. */
  readonly held: boolean
  /** Runs one acquire-or-renew round now. */
  check(): Promise<void>
  /** Stops the loop and deletes the lease if it is still ours. */
  stop(): Promise<void>
}

/** Starts the acquire-or-renew loop at once. */
export function createLease(options: LeaseOptions): Lease {
  const { redis, key, token, ttlMs } = options
  const now = options.now ?? Date.now
  let held = false
  let confirmedAt = 0
  let running: Promise<void> | undefined
  let stopped = false

  const set = (next: boolean) => {
    if (next === held) return
    held = next
    options.onChange(next)
  }

  async function round(): Promise<void> {
    try {
      if (held) {
        const renewed = await runScript(redis, RENEW_LEASE, [key], [token, ttlMs])
        if (renewed === 1) confirmedAt = now()
        else set(false)
      } else {
        const taken = await redis.set(key, token, 'PX', ttlMs, 'NX')
        if (taken === 'OK' && !stopped) {
          confirmedAt = now()
          set(true)
        }
      }
    } catch (error) {
      options.onError(error as Error)
      // Unconfirmed for a whole TTL: Redis may already have given the lease to another.
      if (held && now() - confirmedAt >= ttlMs) set(false)
    }
  }

  const check = () => (running ??= round().finally(() => (running = undefined)))
  const timer = setInterval(() => void check(), options.renewMs)
  void check()

  return {
    get held() {
      return held
    },
    check,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
      if (!held) return
      held = false
      try {
        await runScript(redis, RELEASE_LEASE, [key], [token])
      } catch (error) {
        // Redis is away: the TTL frees the lease instead.
        options.onError(error as Error)
      }
    },
  }
}
