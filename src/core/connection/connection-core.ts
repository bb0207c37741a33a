/**
 * The state of one connection (connection.ts), in one record that the connection's parts share:
 * what it was told (config, wanted set), where it stands (`info`, flags, the retry timer) and
 * the socket of the moment. The parts read and write it; none keeps a copy of its own, so there
 * is one truth about the connection and `getInfo()` reads it directly.
 */
import type { ConnectionConfig } from '../config'
import { DEFAULTS } from '../config'
import type { TimerHandle, TimerProvider } from '../timers'
import type { ConnectionInfo, ConnectionStatus, StreamErrorEvent } from '../types'
import { BoundedQueue } from './offline-queue'
import { resolveConnectionConfig, type ResolvedConnectionConfig } from './resolve-options'
import { createRetryPolicy, type RetryPolicy } from './retry-policy'
import type { SocketAttempt } from './socket-attempt'
import type { SocketSession } from './socket-session'
import { emptyStats } from './stats'
import { changeStatus } from './status-change'
import type { ConnectionCallbacks } from './types'

/** What a connection takes from its manager besides config and callbacks. */
export interface ConnectionDeps {
  /** Every timer and the clock go through here (fake timers, counting in tests, workers). */
  timers: TimerProvider
  /** `Math.random` replacement for backoff jitter. */
  random: () => number
  /** `false` keeps the connection `idle` until `start()` (a manager created during render). */
  autoStart: boolean
}

/**
 * The socket of the moment. `generation` makes late callbacks of an abandoned socket (or of a
 * token request) harmless: each new socket, or none, bumps it.
 */
export interface SocketState {
  generation: number
  /** The socket being opened, then open; `null` when there is none. */
  attempt: SocketAttempt | null
  /** Present while the socket is open. */
  session: SocketSession | null
  /** The open socket carried data or a pong, or stayed open a while. */
  healthy: boolean
  /** An open socket that stays open a while is healthy even if the feed is quiet. */
  healthTimer: TimerHandle | undefined
}

/** The shared state of one connection. */
export interface ConnectionCore {
  readonly name: string
  readonly cfg: ResolvedConnectionConfig
  readonly timers: TimerProvider
  readonly callbacks: ConnectionCallbacks
  /** What `getInfo()` copies; written only by the connection's parts. */
  readonly info: ConnectionInfo
  readonly retry: RetryPolicy
  /** Frames `send()` was given while no socket was open. */
  readonly offlineQueue: BoundedQueue<unknown>
  /** Most symbols per subscribe frame: the protocol's limit, never above the default's 100. */
  readonly maxPerFrame: number
  readonly socket: SocketState
  /** Held symbols and those whose release still waits. */
  wanted: Set<string>
  /** Symbols held now: what a new socket carries. */
  held: Set<string>
  started: boolean
  /** Whether any socket was ever tried: the first one is not a reconnect. */
  attempted: boolean
  destroyed: boolean
  /** `disconnect()` holds until `reconnect()`. */
  sticky: boolean
  /** Idle until a symbol is wanted (a transport that cannot open empty). */
  waiting: boolean
  retryTimer: TimerHandle | undefined
}

/** The state of a connection that has not started. */
export function createConnectionCore(
  name: string,
  config: ConnectionConfig,
  callbacks: ConnectionCallbacks,
  deps: ConnectionDeps,
): ConnectionCore {
  const cfg = resolveConnectionConfig(config)
  return {
    name,
    cfg,
    timers: deps.timers,
    callbacks,
    info: { status: 'idle', attempt: 0, fallback: { active: false }, stats: emptyStats() },
    retry: createRetryPolicy(cfg, deps.random),
    offlineQueue: new BoundedQueue<unknown>(cfg.maxQueue),
    maxPerFrame: Math.max(
      1,
      Math.min(cfg.protocol.maxSymbolsPerFrame, DEFAULTS.maxSymbolsPerFrame),
    ),
    socket: { generation: 0, attempt: null, session: null, healthy: false, healthTimer: undefined },
    wanted: new Set(),
    held: new Set(),
    started: false,
    attempted: false,
    destroyed: false,
    sticky: false,
    waiting: false,
    retryTimer: undefined,
  }
}

/** Destroyed, or disconnected until `reconnect()`: nothing may open or schedule a socket. */
export function halted(core: ConnectionCore): boolean {
  return core.destroyed || core.sticky
}

/** Something a UI shows changed. */
export function changed(core: ConnectionCore): void {
  core.callbacks.onInfoChange()
}

/** Reports an error of this connection. */
export function emitError(core: ConnectionCore, event: Omit<StreamErrorEvent, 'connection'>): void {
  core.callbacks.onError({ connection: core.name, ...event })
}

/** The one place status changes; returns whether status or reason changed. */
export function setStatus(
  core: ConnectionCore,
  newState: ConnectionStatus,
  reason?: string,
): boolean {
  return changeStatus(core.name, core.info, core.callbacks, newState, reason)
}

/** Clears a timer if set; returns `undefined` to store in its place. */
export function clearTimer(core: ConnectionCore, handle: TimerHandle | undefined): undefined {
  if (handle !== undefined) core.timers.clearTimeout(handle)
  return undefined
}

/** No reconnect waits any more. */
export function clearRetry(core: ConnectionCore): void {
  core.retryTimer = clearTimer(core, core.retryTimer)
  delete core.info.nextRetryAt
}

/** REST polling is due (the manager polls while `info.fallback.active`). */
export function activateFallback(core: ConnectionCore, reason: string): void {
  if (core.info.fallback.active) return
  core.info.fallback = { active: true, reason, since: core.timers.now() }
  changed(core)
}

/** A copy of the info for `getInfo()`, with the frames waiting now. */
export function copyInfo(core: ConnectionCore): ConnectionInfo {
  const { info, socket } = core
  return {
    ...info,
    fallback: { ...info.fallback },
    stats: { ...info.stats },
    queuedFrames: socket.session ? socket.session.queued : core.offlineQueue.size,
  }
}
