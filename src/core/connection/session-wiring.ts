import type { TimerProvider } from '../timers'
import type { Transport } from '../transports/types'
import type { ConnectionStats, StreamErrorEvent } from '../types'
import type { ResolvedConnectionConfig } from './resolve-options'
import { openSocketSession, type SocketSession } from './socket-session'
import type { ConnectionCallbacks } from './types'

/** What a connection gives each of its sessions. */
export interface SessionContext {
  cfg: ResolvedConnectionConfig
  timers: TimerProvider
  maxPerFrame: number
  /** The transport's capability: one-way sessions send nothing and ping nothing. */
  twoWay: boolean
  stats: ConnectionStats
  callbacks: ConnectionCallbacks
  emitError(event: Omit<StreamErrorEvent, 'connection'>): void
  /** Something a UI shows changed. */
  changed(): void
  wanted(): ReadonlySet<string>
  held(): ReadonlySet<string>
  /** Silence past `staleTimeoutMs`. */
  onStale(): void
}

/**
 * A fresh session for a socket that just opened (ids, subscriptions and a rate-limit hold
 * belong to one socket), with its writes counted in the connection's statistics.
 */
export function openSessionFor(
  ctx: SessionContext,
  transport: Transport,
  subprotocol: string,
): SocketSession {
  const { cfg, stats, callbacks } = ctx
  return openSocketSession({
    timers: ctx.timers,
    protocol: cfg.protocol,
    transport,
    subprotocol,
    codecs: cfg.codecs,
    maxPerFrame: ctx.maxPerFrame,
    maxQueue: cfg.maxQueue,
    heartbeatIntervalMs: cfg.heartbeatIntervalMs,
    staleTimeoutMs: cfg.staleTimeoutMs,
    oneWay: !ctx.twoWay,
    wanted: ctx.wanted,
    held: ctx.held,
    onWritten(bytes, frame) {
      callbacks.onFrame?.('out', frame)
      stats.messagesOut += 1
      stats.bytesOut += bytes
      // Counters only: an app that sends a lot must not copy the info into the store per frame.
      callbacks.onInfoChange('counters')
    },
    onDropped(count) {
      stats.dropped += count
      ctx.changed()
    },
    onWriteError(message, counted) {
      if (counted) stats.errors += 1
      ctx.emitError({ kind: 'transport', message })
    },
    onStale: ctx.onStale,
  })
}
