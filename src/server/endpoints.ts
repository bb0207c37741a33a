/**
 * Where a feed server (feedServer.ts) listens: one `node:http` server for REST, SSE, `/health`
 * and `/metrics`, with WebSocket upgrades on `/ws` (and `/`) handed to the `ws` server.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Clients } from './clients'
import { perMessageDeflate } from './compression'
import type { FeedContext } from './context'
import { createHttpHandler } from './http'
import { pickSubprotocol } from './messages'
import type { ServerReport } from './serverReport'
import type { FeedServerOptions } from './types'

/** A listening server. */
export interface Endpoints {
  readonly port: number
  /** `host:port` as a client dials it. */
  readonly origin: string
  /** Stops accepting connections; resolves once every connection has ended. */
  stop(): Promise<void>
  /** Closes the WebSocket server and the idle HTTP connections (after the sockets closed). */
  release(): void
}

/** What the endpoints serve. */
export interface EndpointParts {
  context: FeedContext
  clients: Clients
  report: ServerReport
  /** The server is shutting down: upgrades are refused. */
  closing(): boolean
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

/** Starts listening; rejects with the listen error (such as `EADDRINUSE`). */
export async function openEndpoints(
  options: FeedServerOptions,
  { context, clients, report, closing }: EndpointParts,
): Promise<Endpoints> {
  const httpServer = createServer(
    createHttpHandler(context, {
      streams: clients.streams,
      hasRoom: clients.hasRoom,
      metrics: report.stats,
      health: report.health,
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
    if (closing() || (path !== '/ws' && path !== '/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => clients.accept(ws))
  })

  try {
    await listen(httpServer, options.port ?? 0, options.host ?? '127.0.0.1')
  } catch (error) {
    wss.close()
    throw error
  }
  const port = (httpServer.address() as AddressInfo).port
  return {
    port,
    origin: `${urlHost(options.host ?? '127.0.0.1')}:${port}`,
    stop: () => new Promise<void>((resolve) => httpServer.close(() => resolve())),
    release() {
      wss.close()
      // Idle keep-alive connections (REST polls, ended SSE streams) would hold the port open.
      httpServer.closeAllConnections()
    },
  }
}
