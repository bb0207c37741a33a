/**
 * `createFeedServer`: the reference tickwire feed server. It speaks every server side of
 * PROTOCOL.md over one `node:http` server: WebSocket (`ws`) on `/ws`, REST on `/prices`, SSE on
 * `/stream`, plus `/health` and `/metrics`, all fed by one seeded simulated market.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import type { FeedContext, ResolvedOptions } from './context'
import { compressMinBytes, perMessageDeflate } from './compression'
import { createEdgeParts } from './edgeNode'
import { createHttpHandler, type SseStream } from './http'
import { createMeters, Hub } from './hub'
import { createMarket, type SymbolMove } from './market'
import { encodeMessage, MSGPACK_SUBPROTOCOL, pickSubprotocol } from './messages'
import { CLOSE_GOING_AWAY, CLOSE_TOO_MANY, Session } from './session'
import type { FeedServer, FeedServerOptions, FeedServerStats } from './types'

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

function urlHost(host: string): string {
  // A wildcard address cannot be dialled: advertise loopback instead.
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/** Closes a socket with 1001 and resolves once closed, terminating it after `timeoutMs`. */
function closeSocket(socket: WebSocket, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve()
    // A peer that never reads never answers the close frame: do not wait for it forever.
    const timer = setTimeout(() => socket.terminate(), timeoutMs)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    if (socket.readyState === WebSocket.OPEN) socket.close(CLOSE_GOING_AWAY, 'server shutting down')
    else if (socket.readyState === WebSocket.CONNECTING) socket.terminate()
  })
}

/**
 * Starts a feed server and resolves once it listens (rejects with the listen error, such as
 * `EADDRINUSE`).
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
  // An edge node (options.redis) takes its market from Redis; otherwise it is simulated here.
  const edge = options.redis && createEdgeParts(options.redis)
  const market =
    edge?.market ??
    createMarket({
      ...(options.symbols && { symbols: options.symbols }),
      seed: options.seed ?? 1,
      updateShare: options.updateShare ?? 0.25,
      now,
    })
  const hub = edge?.hub ?? new Hub()
  const meters = createMeters(now)
  const context: FeedContext = {
    market,
    hub,
    meters,
    now,
    options: resolved,
    ...(edge && { fetchSnapshots: edge.market.fetch }),
  }
  const sessions = new Set<Session>()
  const streams = new Set<SseStream>()
  // Sockets refused with 4429: tracked until their close completes so close() can end them.
  const refused = new Set<WebSocket>()
  let ticks = 0
  let closing: Promise<void> | undefined

  const stats = (): FeedServerStats => {
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
      ticks,
      symbols: market.symbols.length,
      uptimeMs: now() - startedAt,
      ...(edge && { redis: edge.market.stats() }),
    }
  }

  const health = () => {
    const redis = edge?.market.stats()
    const status = closing ? 'closing' : redis && !redis.connected ? 'degraded' : 'ok'
    return {
      status,
      ...(redis && { redis: redis.connected ? 'connected' : 'disconnected' }),
      ...(redis?.reason !== undefined && { reason: redis.reason }),
      ...(redis && { publisher: redis.publisher ? 'active' : 'absent' }),
      uptimeMs: now() - startedAt,
      connections: sessions.size + streams.size,
      symbols: market.symbols.length,
    }
  }

  const hasRoom = () => sessions.size + streams.size < resolved.maxConnections
  const httpServer = createServer(
    createHttpHandler(context, {
      streams,
      hasRoom,
      metrics: stats,
      health,
    }),
  )
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: perMessageDeflate(options.compression),
    maxPayload: options.maxPayloadBytes ?? 64 * 1024,
    handleProtocols: (offered) => pickSubprotocol(offered),
  })

  httpServer.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (closing || (path !== '/ws' && path !== '/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  })

  function onConnection(ws: WebSocket): void {
    // A socket error is always followed by 'close'; without a listener it would crash the process.
    ws.on('error', () => {})
    if (closing) {
      ws.terminate()
      return
    }
    if (!hasRoom()) {
      refused.add(ws)
      ws.once('close', () => refused.delete(ws))
      ws.close(CLOSE_TOO_MANY, 'too many connections')
      return
    }
    const session = new Session(
      ws,
      ws.protocol === MSGPACK_SUBPROTOCOL ? 'msgpack' : 'json',
      context,
    )
    sessions.add(session)
    ws.once('close', () => {
      sessions.delete(session)
      session.dispose()
    })
  }

  const tick = (): SymbolMove[] => {
    const moves = market.step()
    ticks++
    hub.publish(moves)
    return moves
  }

  try {
    await listen(httpServer, options.port ?? 0, options.host ?? '127.0.0.1')
  } catch (error) {
    wss.close()
    throw error
  }
  const tickHz = edge ? 0 : (options.tickHz ?? 10)
  const timer = tickHz > 0 ? setInterval(tick, 1000 / tickHz) : undefined
  const pingIntervalMs = options.pingIntervalMs ?? 30_000
  const liveness =
    pingIntervalMs > 0
      ? setInterval(() => {
          for (const session of sessions) session.checkAlive()
        }, pingIntervalMs)
      : undefined

  const port = (httpServer.address() as AddressInfo).port
  const origin = `${urlHost(options.host ?? '127.0.0.1')}:${port}`

  async function shutDown(): Promise<void> {
    clearInterval(timer)
    clearInterval(liveness)
    for (const stream of streams) stream.close()
    const timeout = options.closeTimeoutMs ?? 1000
    const sockets = [...[...sessions].map((s) => s.socket), ...refused]
    const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()))
    await Promise.all(sockets.map((socket) => closeSocket(socket, timeout)))
    wss.close()
    // Idle keep-alive connections (REST polls, ended SSE streams) would hold the port open.
    httpServer.closeAllConnections()
    await stopped
    await edge?.market.close()
  }

  return {
    url: `ws://${origin}/ws`,
    restUrl: `http://${origin}`,
    sseUrl: `http://${origin}/stream`,
    port,
    market,
    stats,
    tick,
    publish(symbol, data) {
      const move = market.apply(symbol, data)
      if (move) hub.publish([move])
      return move
    },
    resetSeq(symbols = market.symbols, { snapshot = false } = {}) {
      for (const symbol of symbols) market.resetSeq(symbol)
      if (!snapshot) return
      const wanted = new Set(symbols)
      for (const sink of hub.allSinks()) {
        const mine = [...hub.symbolsOf(sink)].filter((s) => wanted.has(s))
        if (mine.length > 0) sink.sendSnapshots(mine)
      }
    },
    dropConnections(code = 1012, reason = 'service restart') {
      for (const session of sessions) session.socket.close(code, reason)
      for (const stream of streams) stream.close()
    },
    broadcast(frame) {
      for (const { socket, encoding } of sessions) {
        if (socket.readyState !== WebSocket.OPEN) continue
        socket.send(
          typeof frame === 'string' || Buffer.isBuffer(frame)
            ? frame
            : encodeMessage(frame, encoding),
        )
      }
    },
    close() {
      closing ??= shutDown()
      return closing
    },
  }
}
