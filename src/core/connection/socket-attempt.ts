import type { Frame } from '../codecs/types'
import type { TimerHandle, TimerProvider } from '../timers'
import type { Transport, TransportDefinition } from '../transports/types'

/** What one attempt to open a socket reports. Nothing is reported after `close()`. */
export interface SocketAttemptEvents {
  opened(transport: Transport, subprotocol: string, token: string | undefined): void
  frame(frame: Frame): void
  closed(code: number): void
  transportError(message: string): void
  /**
   * The attempt failed before a socket opened: the token provider threw (`auth`), no socket
   * could be made at all (`no_websocket`), or the handshake outlived its limit (`open_timeout`).
   */
  failed(reason: 'auth' | 'no_websocket' | 'open_timeout'): void
}

/** What an attempt needs. */
export interface SocketAttemptOptions {
  timers: TimerProvider
  transport: TransportDefinition
  url: string
  /** Subprotocols to offer. */
  protocols: readonly string[]
  /** The held symbols, for transports that carry them in the URL. */
  symbols: readonly string[]
  /** Asked before the socket is made, so a refused token is followed by a fresh one. */
  getToken: (() => string | Promise<string>) | undefined
  /** Limit of the opening handshake (`staleTimeoutMs`). */
  openTimeoutMs: number
}

/** One socket being opened, then open. */
export interface SocketAttempt {
  /** The socket opened: the handshake limit no longer applies. */
  settle(): void
  /** Abandons the attempt and closes its socket, if one was made; no event after this. */
  close(code?: number, reason?: string): void
}

/**
 * Starts an attempt: token, then socket, then a limit on the handshake. The heartbeat starts
 * only once a socket is open, so the handshake needs its own limit: a server that accepts TCP
 * and never answers the upgrade (a frozen process, a black-holed balancer) would otherwise
 * leave the connection `connecting` for ever.
 */
export function startSocketAttempt(
  options: SocketAttemptOptions,
  events: SocketAttemptEvents,
): SocketAttempt {
  const { timers } = options
  let transport: Transport | null = null
  let timer: TimerHandle | undefined
  let closed = false

  const clearTimer = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
  }

  function make(token: string | undefined): void {
    let t: Transport
    try {
      t = options.transport.open(
        { url: options.url, protocols: options.protocols, symbols: options.symbols },
        {
          onOpen: (subprotocol) => void (closed || events.opened(t, subprotocol, token)),
          onFrame: (frame) => void (closed || events.frame(frame)),
          onClose: (code) => void (closed || events.closed(code)),
          onError: (message) => void (closed || events.transportError(message)),
        },
      )
    } catch {
      return events.failed('no_websocket')
    }
    transport = t
    timer = timers.setTimeout(() => {
      timer = undefined
      if (!closed) events.failed('open_timeout')
    }, options.openTimeoutMs)
  }

  const { getToken } = options
  if (!getToken) make(undefined)
  else
    Promise.resolve()
      .then(() => getToken())
      .then(
        (token) => void (closed || make(String(token))),
        () => void (closed || events.failed('auth')),
      )

  return {
    settle: clearTimer,
    close(code, reason) {
      if (closed) return
      closed = true
      clearTimer()
      transport?.close(code, reason)
    },
  }
}
