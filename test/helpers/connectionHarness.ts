/**
 * Shared pieces for connection tests: a recorder of every callback, a TimerProvider that
 * counts pending timers, and `openConnection` that wires a connection to a test server.
 */
import { WebSocket } from 'ws'
import type { ConnectionConfig } from '../../src/core/config'
import type { Connection, ConnectionCallbacks, DataEvent } from '../../src/core/connection/types'
import { createConnection } from '../../src/core/connection/connection'
import { defaultTimers, type TimerProvider } from '../../src/core/timers'
import type { InboundEvent } from '../../src/core/protocols/types'
import type { ConnectionStatus, StatusEvent, StreamErrorEvent } from '../../src/core/types'
import { leakTimers } from './leakTimers'

/** The `ws` package's WebSocket, typed as the config wants it. */
export const NodeWebSocket = WebSocket

/** Records every callback a connection makes. */
export interface Recorder {
  callbacks: ConnectionCallbacks
  statuses: StatusEvent[]
  errors: StreamErrorEvent[]
  /** Application messages and symbol errors, and every snapshot or delta as an event object. */
  data: Array<DataEvent | Extract<InboundEvent, { type: 'snapshot' | 'delta' }>>
  opens: number
  infoChanges: number
  /** The last status reported (idle before any). */
  readonly status: ConnectionStatus
}

/** A fresh recorder; pass `rec.callbacks` to `createConnection`. */
export function recorder(): Recorder {
  const rec: Recorder = {
    statuses: [],
    errors: [],
    data: [],
    opens: 0,
    infoChanges: 0,
    get status() {
      return rec.statuses[rec.statuses.length - 1]?.newState ?? 'idle'
    },
    callbacks: {
      onData: (event) => rec.data.push(event),
      onTick: (type, symbol, seq, ts, data) =>
        rec.data.push(
          ts === undefined ? { type, symbol, seq, data } : { type, symbol, seq, ts, data },
        ),
      onStatus: (event) => rec.statuses.push(event),
      onError: (event) => rec.errors.push(event),
      onInfoChange: () => {
        rec.infoChanges += 1
      },
      onOpen: () => {
        rec.opens += 1
      },
    },
  }
  return rec
}

/** A TimerProvider over `base` that knows how many of its timers are pending (a property). */
export function countingTimers(
  base: TimerProvider = defaultTimers,
): TimerProvider & { readonly pending: number } {
  const t = leakTimers({ base })
  return {
    get pending() {
      return t.pending()
    },
    setTimeout: t.setTimeout,
    clearTimeout: t.clearTimeout,
    setInterval: t.setInterval,
    clearInterval: t.clearInterval,
    now: t.now,
    requestFrame: t.requestFrame,
    cancelFrame: t.cancelFrame,
  }
}

/** Options of `openConnection`. */
export interface OpenOptions {
  timers?: TimerProvider
  random?: () => number
  autoStart?: boolean
  name?: string
}

/** Creates a connection to `url` with the `ws` WebSocket; the random factor defaults to 0.5 (no jitter effect). */
export function openConnection(
  url: string,
  config: Partial<ConnectionConfig> = {},
  options: OpenOptions = {},
): { conn: Connection; rec: Recorder } {
  const rec = recorder()
  const conn = createConnection(
    options.name ?? 'default',
    { url, WebSocket: NodeWebSocket, ...config },
    rec.callbacks,
    {
      timers: options.timers ?? defaultTimers,
      random: options.random ?? (() => 0.5),
      autoStart: options.autoStart ?? true,
    },
  )
  return { conn, rec }
}

/** Frames of one type among `frames` (what a test server socket received). */
export function ofType(frames: readonly unknown[], type: string): Record<string, unknown>[] {
  return frames.filter(
    (f): f is Record<string, unknown> =>
      typeof f === 'object' && f !== null && (f as { type?: unknown }).type === type,
  )
}

/**
 * Timers that fire only when the test says so, on a clock the test moves: deterministic timing
 * for the connection while real sockets keep running (and a model of a throttled tab).
 */
export interface ManualTimers extends TimerProvider {
  /** Moves the clock by `ms` and runs every timer now due, in order of due time. */
  advance(ms: number): void
  /** Moves the clock without running anything (a tab whose timers are held back). */
  jump(ms: number): void
  /** Runs every timer due at the current clock. */
  runDue(): void
  readonly pending: number
}

/** Manual timers starting at clock `start` (ms). */
export function manualTimers(start = 1_000_000): ManualTimers {
  let now = start
  let seq = 0
  const due: { at: number; order: number; cb: () => void; handle: object }[] = []
  const runDue = (): void => {
    for (;;) {
      const next = due
        .filter((d) => d.at <= now)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0]
      if (!next) return
      due.splice(due.indexOf(next), 1)
      next.cb()
    }
  }
  return {
    setTimeout(cb, ms) {
      const handle = {}
      due.push({ at: now + Math.max(0, ms), order: seq++, cb, handle })
      return handle
    },
    clearTimeout(handle) {
      const i = due.findIndex((d) => d.handle === handle)
      if (i >= 0) due.splice(i, 1)
    },
    setInterval: () => {
      throw new Error('the connection uses no intervals')
    },
    clearInterval: () => undefined,
    now: () => now,
    requestFrame: () => ({}),
    cancelFrame: () => undefined,
    advance(ms) {
      const target = now + ms
      for (;;) {
        const next = due
          .filter((d) => d.at <= target)
          .sort((a, b) => a.at - b.at || a.order - b.order)[0]
        if (!next) break
        now = Math.max(now, next.at)
        due.splice(due.indexOf(next), 1)
        next.cb()
      }
      now = target
    },
    jump(ms) {
      now += ms
    },
    runDue,
    get pending() {
      return due.length
    },
  }
}
