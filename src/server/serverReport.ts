/**
 * What a feed server (feedServer.ts) says about itself: the counters of `stats()` and
 * `/metrics`, and the body of `/health`.
 */
import type { Clients } from './clients'
import type { Meters } from './hub'
import type { MarketFeed } from './marketFeed'
import type { FeedServerStats } from './types'

/** The body of `/health`. */
export interface HealthReport {
  /** `degraded` (answered with 503) while an edge node cannot vouch for its market. */
  status: 'ok' | 'degraded' | 'closing'
  /** Edge nodes: whether both Redis connections are up and the market is known. */
  redis?: 'connected' | 'disconnected'
  /** Edge nodes: why the node is degraded, when it is. */
  reason?: string
  /** Edge nodes: whether a publisher holds the lease. */
  publisher?: 'active' | 'absent'
  uptimeMs: number
  /** WebSocket sessions plus SSE streams. */
  connections: number
  symbols: number
}

/** What the report reads. */
export interface ServerReportParts {
  feed: MarketFeed
  clients: Clients
  meters: Meters
  now: () => number
  /** When the server started, by `now`. */
  startedAt: number
  /** The server is shutting down. */
  closing(): boolean
}

/** The reports of one server. */
export interface ServerReport {
  stats(): FeedServerStats
  health(): HealthReport
}

/** Creates the reports of a server from its parts. */
export function createServerReport(parts: ServerReportParts): ServerReport {
  const { feed, clients, meters, now, startedAt } = parts
  const { market, hub, edge } = feed
  const { sessions, streams } = clients

  return {
    stats() {
      let slowClients = 0
      let bufferedBytes = 0
      for (const session of sessions) {
        if (session.slow) slowClients++
        bufferedBytes += session.socket.bufferedAmount
      }
      for (const stream of streams) if (stream.slow) slowClients++
      return {
        connections: sessions.size,
        sseClients: streams.size,
        subscriptions: hub.subscriptionCounts(),
        framesPerSecond: meters.frames.perSecond(),
        bytesPerSecond: meters.bytes.perSecond(),
        framesSent: meters.frames.total,
        bytesSent: meters.bytes.total,
        slowClients,
        skippedFrames: meters.skipped,
        bufferedBytes,
        maxBufferedBytes: meters.maxBufferedBytes,
        ticks: feed.ticks,
        symbols: market.symbols.length,
        uptimeMs: now() - startedAt,
        ...(edge && { redis: edge.market.stats() }),
      }
    },
    health() {
      const redis = edge?.market.stats()
      const status = parts.closing() ? 'closing' : redis && !redis.connected ? 'degraded' : 'ok'
      return {
        status,
        ...(redis && { redis: redis.connected ? 'connected' : 'disconnected' }),
        ...(redis?.reason !== undefined && { reason: redis.reason }),
        ...(redis && { publisher: redis.publisher ? 'active' : 'absent' }),
        uptimeMs: now() - startedAt,
        connections: sessions.size + streams.size,
        symbols: market.symbols.length,
      }
    },
  }
}
