/**
 * `createFeedServer`: the reference tickwire feed server. It speaks every server side of
 * PROTOCOL.md over one `node:http` server: WebSocket (`ws`) on `/ws`, REST on `/prices`, SSE on
 * `/stream`, plus `/health` and `/metrics`, all fed by one seeded simulated market.
 */
import { compressMinBytes } from './compression'
import { createClients } from './clients'
import type { FeedContext, ResolvedOptions } from './context'
import { openEndpoints } from './endpoints'
import { createMeters } from './hub'
import { createMarketFeed } from './marketFeed'
import { createServerReport } from './serverReport'
import type { FeedServer, FeedServerOptions } from './types'

export type { FeedServer, FeedServerOptions, FeedServerStats } from './types'

function resolveOptions(options: FeedServerOptions): ResolvedOptions {
  const limit = options.rateLimit
  return {
    heartbeatMs: options.heartbeatMs ?? 30_000,
    slowClientBytes: options.slowClientBytes ?? 256 * 1024,
    rateLimit:
      limit === false
        ? false
        : { maxFrames: limit?.maxFrames ?? 200, windowMs: limit?.windowMs ?? 1000 },
    verifyToken: options.verifyToken,
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    maxConnections: options.maxConnections ?? 1000,
    onAppMessage: options.onAppMessage,
    compressMinBytes: compressMinBytes(options.compression),
  }
}

/**
 * Starts a feed server and resolves once it listens (rejects with the listen error, such as
 * `EADDRINUSE`).
 *
 * The parts: marketFeed.ts (market and hub), clients.ts (sessions and streams),
 * serverReport.ts (`/metrics` and `/health`), endpoints.ts (the HTTP and WebSocket servers).
 *
 * @example
 * const server = await createFeedServer({ port: 8080, tickHz: 10 })
 * console.log(server.url) // ws://127.0.0.1:8080/ws
 * await server.close()
 */
export async function createFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const now = options.now ?? Date.now
  const startedAt = now()
  const resolved = resolveOptions(options)
  const feed = createMarketFeed(options, now)
  const { market, hub, edge } = feed
  const meters = createMeters(now)
  const context: FeedContext = {
    market,
    hub,
    meters,
    now,
    options: resolved,
    ...(edge && { fetchSnapshots: edge.market.fetch }),
  }
  let closing: Promise<void> | undefined
  const isClosing = () => closing !== undefined
  const clients = createClients(context, isClosing)
  const report = createServerReport({ feed, clients, meters, now, startedAt, closing: isClosing })
  const endpoints = await openEndpoints(options, { context, clients, report, closing: isClosing })
  const tickHz = edge ? 0 : (options.tickHz ?? 10)
  const timer = tickHz > 0 ? setInterval(feed.tick, 1000 / tickHz) : undefined
  const pingIntervalMs = options.pingIntervalMs ?? 30_000
  const liveness = pingIntervalMs > 0 ? setInterval(clients.checkAlive, pingIntervalMs) : undefined

  async function shutDown(): Promise<void> {
    clearInterval(timer)
    clearInterval(liveness)
    clients.closeStreams()
    const timeout = options.closeTimeoutMs ?? 1000
    const stopped = endpoints.stop()
    await clients.closeSockets(timeout)
    endpoints.release()
    await stopped
    await edge?.market.close()
  }

  const origin = endpoints.origin
  return {
    url: `ws://${origin}/ws`,
    restUrl: `http://${origin}`,
    sseUrl: `http://${origin}/stream`,
    port: endpoints.port,
    market,
    stats: report.stats,
    tick: feed.tick,
    publish: feed.publish,
    resetSeq: feed.resetSeq,
    dropConnections: clients.drop,
    broadcast: clients.broadcast,
    close() {
      closing ??= shutDown()
      return closing
    },
  }
}
