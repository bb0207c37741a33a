/**
 * The clients of a feed server (feedServer.ts): WebSocket sessions, SSE streams, and sockets
 * being refused, with what the server does to all of them at once (liveness pings, drops,
 * broadcasts, shutdown).
 */
import { WebSocket } from 'ws'
import type { FeedContext } from './context'
import type { SseStream } from './http'
import type { AppMessage, ServerMessage } from './messages'
import { encodeMessage, MSGPACK_SUBPROTOCOL } from './messages'
import { CLOSE_GOING_AWAY, CLOSE_TOO_MANY, Session } from './session'

/** The connected clients of one server, see the module comment. */
export interface Clients {
  readonly sessions: ReadonlySet<Session>
  /** Open SSE streams: the HTTP handler adds and removes them. */
  readonly streams: Set<SseStream>
  /** Whether one more connection (socket or stream) is allowed. */
  hasRoom(): boolean
  /** Takes an upgraded socket: a session, or a 4429 refusal when the server is full. */
  accept(ws: WebSocket): void
  /** Pings every session, ending those that did not answer the last ping. */
  checkAlive(): void
  /** Closes every client socket and stream (`FeedServer.dropConnections`). */
  drop(code?: number, reason?: string): void
  /** Sends a frame to every WebSocket client (`FeedServer.broadcast`). */
  broadcast(frame: ServerMessage | AppMessage | string | Buffer): void
  /** Ends every SSE stream (shutdown). */
  closeStreams(): void
  /** Closes every socket with 1001, terminating those still open after `timeoutMs`. */
  closeSockets(timeoutMs: number): Promise<void>
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

/** An empty set of clients; `closing` says the server is shutting down. */
export function createClients(context: FeedContext, closing: () => boolean): Clients {
  const sessions = new Set<Session>()
  const streams = new Set<SseStream>()
  // Sockets refused with 4429: tracked until their close completes so close() can end them.
  const refused = new Set<WebSocket>()
  const hasRoom = () => sessions.size + streams.size < context.options.maxConnections

  function accept(ws: WebSocket): void {
    // A socket error is always followed by 'close'; without a listener it would crash the process.
    ws.on('error', () => {})
    if (closing()) {
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

  return {
    sessions,
    streams,
    hasRoom,
    accept,
    checkAlive() {
      for (const session of sessions) session.checkAlive()
    },
    drop(code = 1012, reason = 'service restart') {
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
    closeStreams() {
      for (const stream of streams) stream.close()
    },
    async closeSockets(timeoutMs) {
      const sockets = [...[...sessions].map((s) => s.socket), ...refused]
      await Promise.all(sockets.map((socket) => closeSocket(socket, timeoutMs)))
    },
  }
}
