import type { TimerHandle, TimerProvider } from '../timers'

/** What the heartbeat needs from its connection. */
export interface HeartbeatOptions {
  timers: TimerProvider
  /** Ping spacing in ms (`heartbeatIntervalMs`, default 30000). */
  intervalMs: number
  /** Silence in ms after which the socket is stale (`staleTimeoutMs`, default 60000). */
  staleTimeoutMs: number
  /**
   * Sends one ping; absent when the protocol or transport has none (SSE), in which case the
   * staleness timer alone watches the socket.
   */
  ping?: (() => void) | undefined
  /** Called once when the socket is declared stale; the heartbeat stops itself first. */
  onStale: () => void
}

/** A running heartbeat for one open socket. */
export interface Heartbeat {
  /** A frame arrived: the socket is alive. */
  frameReceived(): void
  /** Lowers the ping spacing (a server's `welcome.heartbeatMs`); never raises it. */
  adviseInterval(ms: number): void
  stop(): void
}

/** The shortest ping spacing a server's `welcome.heartbeatMs` can ask for. */
export const MIN_ADVISED_INTERVAL_MS = 1_000

/**
 * How long a late wake waits for an answer to its fresh ping before it declares the socket
 * stale: a quarter of the staleness timeout, at most 5 s, so a throttled background tab is
 * given the benefit of the doubt without a dead socket lingering much past its limit.
 */
export function staleGraceMs(staleTimeoutMs: number): number {
  return Math.min(5_000, Math.max(1, Math.floor(staleTimeoutMs / 4)))
}

/**
 * Pings every `intervalMs` and declares the socket stale after `staleTimeoutMs` of silence.
 *
 * Time is read from `timers.now()`, never inferred from how many callbacks ran: browsers
 * throttle timers in background tabs (to once a minute or worse), so one late callback may
 * find the silence "over the limit" only because nothing could run. When that happens and no
 * ping went out recently, it pings first and waits `staleGraceMs` for any frame before it
 * gives up. One timeout is kept at a time, set for the next thing due.
 */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { timers, staleTimeoutMs, ping, onStale } = options
  const grace = staleGraceMs(staleTimeoutMs)
  let intervalMs = Math.max(1, options.intervalMs)
  let lastFrameAt = timers.now()
  // When the last ping went out; the socket's open counts as one so the first ping waits a full interval.
  let lastPingAt = lastFrameAt
  let pinged = false
  let timer: TimerHandle | undefined
  let stopped = false

  const sendPing = (now: number): void => {
    lastPingAt = now
    pinged = true
    ping?.()
  }

  const schedule = (): void => {
    if (stopped) return
    if (timer !== undefined) timers.clearTimeout(timer)
    const now = timers.now()
    let due = lastFrameAt + staleTimeoutMs
    if (ping) due = Math.min(due, lastPingAt + intervalMs)
    timer = timers.setTimeout(wake, Math.max(0, due - now))
  }

  function wake(): void {
    timer = undefined
    if (stopped) return
    const now = timers.now()
    if (now - lastFrameAt >= staleTimeoutMs) {
      // A ping that went out after the last frame and within about one interval has gone
      // unanswered: real evidence. Otherwise this wake is late (throttled tab): ask first.
      const unanswered =
        ping !== undefined &&
        pinged &&
        lastPingAt > lastFrameAt &&
        now - lastPingAt <= intervalMs + grace
      if (ping === undefined || (unanswered && now - lastPingAt >= grace)) {
        stopped = true
        onStale()
        return
      }
      if (!unanswered) sendPing(now)
      timer = timers.setTimeout(wake, Math.max(1, lastPingAt + grace - now))
      return
    }
    if (ping && now - lastPingAt >= intervalMs) sendPing(now)
    schedule()
  }

  schedule()
  return {
    frameReceived() {
      lastFrameAt = timers.now()
    },
    adviseInterval(ms: number) {
      if (!(ms > 0) || ms >= intervalMs) return
      // A server may ask for more frequent pings, but not for a flood: never below a second.
      intervalMs = Math.max(MIN_ADVISED_INTERVAL_MS, ms)
      schedule()
    },
    stop() {
      stopped = true
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
    },
  }
}

/** Weight of the newest ping round trip in `avgLatencyMs`: smooth enough to ignore one slow pong. */
export const LATENCY_SMOOTHING = 0.2

/** The smoothed latency after one more sample (an exponential moving average). */
export function smoothLatency(average: number | undefined, sample: number): number {
  return average === undefined
    ? sample
    : average * (1 - LATENCY_SMOOTHING) + sample * LATENCY_SMOOTHING
}
