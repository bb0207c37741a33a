/**
 * Opening the sockets of one connection: the first one, each reconnect attempt, and the wait
 * when there is nothing to open a socket for (a transport with symbols in its URL and no
 * symbol held).
 */
import type { WantedDelivery } from '../transports/url-symbols'
import type { AttemptEvents } from './attempt-events'
import { changed, clearRetry, halted, setStatus, type ConnectionCore } from './connection-core'
import { isOnline } from './environment'
import { startSocketAttempt } from './socket-attempt'
import type { SocketSlot } from './socket-slot'

/** The ways a connection opens a socket. */
export interface SocketOpening {
  /** The first connection: at start, when online again after starting offline, or when a symbol is wanted again. */
  begin(): void
  /** Nothing to open a socket for: no retry, no fallback; status `idle`, reason `no_symbols`. */
  waitForSymbols(): void
  /** A reconnect attempt, now (the backoff's wait is over, or was skipped). */
  attemptNow(): void
  /** Opens a socket for the held set of the moment, in place of the current one. */
  open(): void
}

/** Creates the opening of one connection's sockets; `events` get the live socket's events. */
export function createSocketOpening(
  core: ConnectionCore,
  slot: SocketSlot,
  delivery: WantedDelivery,
  events: AttemptEvents,
): SocketOpening {
  const { info } = core

  function waitForSymbols(): void {
    clearRetry(core)
    slot.drop(1000, 'no_symbols')
    core.waiting = true
    core.attempted = false
    core.retry.opened()
    info.attempt = 0
    if (info.fallback.active) info.fallback = { active: false }
    if (!setStatus(core, 'idle', 'no_symbols')) changed(core)
  }

  function open(): void {
    if (halted(core)) return
    if (!delivery.canOpen(core.held)) return waitForSymbols()
    core.waiting = false
    core.attempted = true
    slot.drop()
    openAttempt(core, delivery, events)
  }

  return {
    begin() {
      core.waiting = false
      if (!delivery.canOpen(core.held)) return waitForSymbols()
      if (!isOnline()) return void setStatus(core, 'offline', 'offline')
      setStatus(core, 'connecting')
      open()
    },
    waitForSymbols,
    attemptNow() {
      clearRetry(core)
      if (halted(core)) return
      if (!delivery.canOpen(core.held)) return waitForSymbols()
      info.attempt += 1
      info.stats.reconnects += 1
      core.retry.attempt()
      const { status } = info
      if (status === 'offline' || status === 'error' || status === 'closed' || status === 'idle')
        setStatus(core, info.fallback.active ? 'fallback' : 'reconnecting', info.reason)
      changed(core)
      open()
    },
    open,
  }
}

/** Starts the attempt of a new socket generation; its events count only while it is live. */
function openAttempt(core: ConnectionCore, delivery: WantedDelivery, events: AttemptEvents): void {
  const { cfg, socket } = core
  const gen = socket.generation
  const symbols = [...core.held]
  const live = (): boolean => gen === socket.generation
  const { twoWay } = cfg.transport.capabilities
  const next = startSocketAttempt(
    {
      timers: core.timers,
      transport: cfg.transport,
      url: cfg.url,
      protocols: twoWay ? cfg.protocol.subprotocols(cfg.encoding) : [],
      symbols,
      getToken: cfg.getToken,
      openTimeoutMs: cfg.staleTimeoutMs,
    },
    {
      opened: (t, subprotocol, token) => live() && events.opened(t, subprotocol, token, symbols),
      frame: (frame) => live() && events.frame(frame),
      closed: (code) => live() && events.closed(code),
      transportError: (message) => live() && events.transportError(message),
      failed: (reason) => live() && events.failed(reason),
    },
  )
  // A socket that could not be made at all has failed already, and the attempt is over.
  if (!live()) return
  socket.attempt = next
  delivery.made(symbols)
}
