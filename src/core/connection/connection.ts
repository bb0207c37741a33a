import type { ConnectionConfig } from '../config'
import { DEFAULTS } from '../config'
import type { Frame } from '../codecs/types'
import { tickwireCloseOutcome, type ServerOutcome } from '../protocols/outcomes'
import { createSymbolLimit } from '../subscriptions/symbol-limit'
import type { TimerHandle, TimerProvider } from '../timers'
import type { Transport } from '../transports/types'
import { framesDelivery, urlDelivery } from '../transports/url-symbols'
import type { ConnectionInfo, ConnectionStatus, StreamErrorEvent } from '../types'
import { isOnline, watchEnvironment } from './environment'
import { BoundedQueue } from './outbound-queue'
import { resolveConnectionConfig } from './resolve-options'
import { createRetryPolicy } from './retry-policy'
import { startSocketAttempt, type SocketAttempt } from './socket-attempt'
import { createConnectionReader } from './reader-wiring'
import { changeStatus } from './status-change'
import { openSessionFor, type SessionContext } from './session-wiring'
import type { SocketSession } from './socket-session'
import { emptyStats } from './stats'
import type { Connection, ConnectionCallbacks } from './types'

/** What a connection takes from its manager besides config and callbacks. */
export interface ConnectionDeps {
  /** Every timer and the clock go through here (fake timers, counting in tests, workers). */
  timers: TimerProvider
  /** `Math.random` replacement for backoff jitter. */
  random: () => number
  /** `false` keeps the connection `idle` until `start()` (a manager created during render). */
  autoStart: boolean
}

/** Close code the client uses for a socket it declares stale (PROTOCOL.md section 4). */
export const STALE_CLOSE_CODE = 4000

/**
 * Creates one connection: the life of its socket (state machine, heartbeat, backoff, fallback
 * decision, outbound queue, statistics), as PROTOCOL.md sections 1 to 4 and 6 say. It applies
 * `DEFAULTS` itself; see `ConnectionConfig` for every option and its default.
 *
 * It adapts to its transport's capabilities (symbols in frames or in the URL, one-way or not)
 * and acts on the outcomes its protocol adapter classifies; it reads no close code and knows
 * no transport by name. It starts at once unless `config.lazy`, `config.enabled === false` or
 * `deps.autoStart === false`. Nothing global is touched before it starts.
 *
 * A transport that carries symbols in its URL opens no socket while nothing is wanted: the
 * status is then `idle` with reason `no_symbols`, without a reconnect or a fallback.
 */
export function createConnection(
  name: string,
  config: ConnectionConfig,
  callbacks: ConnectionCallbacks,
  deps: ConnectionDeps,
): Connection {
  const cfg = resolveConnectionConfig(config)
  const { timers } = deps
  const { protocol, transport: kind } = cfg
  const { twoWay } = kind.capabilities
  const closeOutcome = protocol.closeOutcome ?? tickwireCloseOutcome
  const maxPerFrame = Math.max(
    1,
    Math.min(protocol.maxSymbolsPerFrame, DEFAULTS.maxSymbolsPerFrame),
  )
  const info: ConnectionInfo = {
    status: 'idle',
    attempt: 0,
    fallback: { active: false },
    stats: emptyStats(),
  }
  const offlineQueue = new BoundedQueue<unknown>(cfg.maxQueue)
  const retry = createRetryPolicy(cfg, deps.random)
  let wanted = new Set<string>()
  let held = new Set<string>()
  // The socket of the moment; `generation` makes late callbacks of an abandoned socket (or of a
  // token request) harmless. `session` is present while the socket is open.
  let generation = 0
  let attempt: SocketAttempt | null = null
  let session: SocketSession | null = null
  let started = false
  let attempted = false // whether any socket was ever tried: the first one is not a reconnect
  let destroyed = false
  let sticky = false // disconnect() holds until reconnect()
  let waiting = false // idle until a symbol is wanted (a transport that cannot open empty)
  let healthy = false // the open socket carried data or a pong, or stayed open a while
  let retryTimer: TimerHandle | undefined
  let healthTimer: TimerHandle | undefined // an open socket that stays open a while is healthy
  let unlisten: (() => void) | undefined

  const changed = (): void => callbacks.onInfoChange()
  const emitError = (event: Omit<StreamErrorEvent, 'connection'>): void =>
    callbacks.onError({ connection: name, ...event })
  const halted = (): boolean => destroyed || sticky
  const delivery =
    kind.capabilities.symbols === 'url'
      ? urlDelivery({
          timers,
          delayMs: DEFAULTS.sseReopenDelayMs,
          hasSocket: () => attempt !== null,
          reopen: () => openSocket(),
        })
      : framesDelivery(() => session)
  const limit = createSymbolLimit({
    max: protocol.maxSymbolsPerConnection,
    protocolName: protocol.name,
    report(symbols, message) {
      const event = { type: 'symbol_error' as const, code: 'limit_exceeded', message, symbols }
      callbacks.onData(event, timers.now())
    },
  })
  const reader = createConnectionReader({
    cfg,
    timers,
    info,
    callbacks,
    emitError,
    changed,
    session: () => session,
    markHealthy,
    onClose,
  })

  const sessionContext: SessionContext = {
    cfg,
    timers,
    maxPerFrame,
    twoWay,
    stats: info.stats,
    callbacks,
    emitError,
    changed,
    wanted: () => wanted,
    held: () => held,
    onStale() {
      // close() detaches at once: a half-open socket never completes the closing handshake.
      dropSocket(STALE_CLOSE_CODE, 'stale')
      scheduleReconnect('stale')
    },
  }

  /** The one place status changes; returns whether status or reason changed. */
  function setStatus(newState: ConnectionStatus, reason?: string): boolean {
    return changeStatus(name, info, callbacks, newState, reason)
  }

  function clearTimer(handle: TimerHandle | undefined): undefined {
    if (handle !== undefined) timers.clearTimeout(handle)
    return undefined
  }

  function clearRetry(): void {
    retryTimer = clearTimer(retryTimer)
    delete info.nextRetryAt
  }

  /** Forgets the current socket without any callback from it; unsent app frames go back to the queue. */
  function dropSocket(code?: number, reason?: string): void {
    healthTimer = clearTimer(healthTimer)
    generation += 1
    reader.socketChanged(generation)
    if (session) info.stats.dropped += offlineQueue.prepend(session.close())
    session = null
    const a = attempt
    attempt = null
    delete info.stats.connectedAt
    delivery.cancel()
    a?.close(code, reason)
  }

  // ---- opening -------------------------------------------------------------------------

  /** The first connection: at start, when online again after starting offline, or when a symbol is wanted again. */
  function begin(): void {
    waiting = false
    if (!delivery.canOpen(held)) return waitForSymbols()
    if (!isOnline()) return void setStatus('offline', 'offline')
    setStatus('connecting')
    openSocket()
  }

  /** Nothing to open a socket for: no retry, no fallback; status `idle`, reason `no_symbols`. */
  function waitForSymbols(): void {
    clearRetry()
    dropSocket(1000, 'no_symbols')
    waiting = true
    attempted = false
    retry.opened()
    info.attempt = 0
    if (info.fallback.active) info.fallback = { active: false }
    if (!setStatus('idle', 'no_symbols')) changed()
  }

  function openSocket(): void {
    if (halted()) return
    if (!delivery.canOpen(held)) return waitForSymbols()
    waiting = false
    attempted = true
    dropSocket()
    const gen = generation
    const symbols = [...held]
    const live = (): boolean => gen === generation
    const next = startSocketAttempt(
      {
        timers,
        transport: kind,
        url: cfg.url,
        protocols: twoWay ? protocol.subprotocols(cfg.encoding) : [],
        symbols,
        getToken: cfg.getToken,
        openTimeoutMs: cfg.staleTimeoutMs,
      },
      {
        opened: (t, subprotocol, token) => live() && onSocketOpen(t, subprotocol, token, symbols),
        frame: (frame) => live() && onFrame(frame),
        closed: (code) => live() && onClose(closeOutcome(code), `server_close:${code}`),
        transportError(message) {
          if (!live()) return
          info.stats.errors += 1
          emitError({ kind: 'transport', message })
          changed()
        },
        failed: (reason) => live() && !halted() && onAttemptFailed(reason),
      },
    )
    // A socket that could not be made at all has failed already, and the attempt is over.
    if (!live()) return
    attempt = next
    delivery.made(symbols)
  }

  function onAttemptFailed(reason: 'auth' | 'no_websocket' | 'open_timeout'): void {
    retry.failed()
    if (reason === 'open_timeout') dropSocket(STALE_CLOSE_CODE, 'open_timeout')
    else {
      dropSocket()
      info.stats.errors += 1
      // Never the provider's text: it may hold the token or a secret.
      if (reason === 'auth') emitError({ kind: 'auth', message: 'the token provider failed' })
      else {
        const message = `no ${kind.name} could be made`
        emitError({ kind: 'transport', code: 'no_websocket', message })
        activateFallback('no_websocket')
      }
    }
    scheduleReconnect(reason)
  }

  function onSocketOpen(
    t: Transport,
    subprotocol: string,
    token: string | undefined,
    symbols: string[],
  ): void {
    attempt?.settle()
    retry.opened()
    clearRetry()
    healthy = false
    info.attempt = 0
    info.stats.connectedAt = timers.now()
    if (info.fallback.active) info.fallback = { active: false }
    // A socket that stays open a while is healthy even if the feed is quiet.
    healthTimer = timers.setTimeout(markHealthy, DEFAULTS.healthyAfterMs)
    const open = openSessionFor(sessionContext, t, subprotocol)
    session = open
    setStatus('open')
    open.begin(token, symbols, offlineQueue.drain())
    changed()
    callbacks.onOpen?.()
    delivery.opened(wanted, held)
  }

  function markHealthy(): void {
    if (healthy || session === null) return
    healthy = true
    healthTimer = clearTimer(healthTimer)
    retry.healthy()
  }

  // ---- inbound, and what the server's closes and errors mean ----------------------------

  function onFrame(frame: Frame): void {
    callbacks.onFrame?.('in', frame)
    // Any frame counts as life, even one that turns out invalid.
    session?.frameReceived()
    const codec = session ? cfg.codecs[session.codecName] : undefined
    reader.read(frame, codec, generation)
    // Only counters changed here; what a UI shows (status, latency) signals on its own.
    callbacks.onInfoChange('counters')
  }

  function onClose(outcome: ServerOutcome, reason: string, closeWith?: number): void {
    const wasOpen = session !== null
    dropSocket(closeWith)
    if (halted()) return
    if (!wasOpen) retry.failed()
    if (outcome.type === 'unauthorized') {
      if (retry.refused()) {
        emitError({
          kind: 'auth',
          code: 'unauthorized',
          message: `the server refused the token ${DEFAULTS.unauthorizedCloseLimit} times in a row`,
        })
        clearRetry()
        return void setStatus('error', 'unauthorized')
      }
    }
    if (outcome.type === 'overloaded') retry.overloaded()
    scheduleReconnect(reason)
  }

  function activateFallback(reason: string): void {
    if (info.fallback.active) return
    info.fallback = { active: true, reason, since: timers.now() }
    changed()
  }

  function scheduleReconnect(reason: string): void {
    clearRetry()
    if (halted()) return
    if (retry.failures >= cfg.fallbackAfterFailures) activateFallback('failures')
    if (!cfg.autoReconnect) return void setStatus('closed', reason)
    if (retry.spent()) return void setStatus('error', 'max_attempts')
    if (!isOnline()) return void setStatus('offline', 'offline')
    const delay = retry.nextDelay()
    info.nextRetryAt = timers.now() + delay
    retryTimer = timers.setTimeout(attemptNow, delay)
    if (!setStatus(info.fallback.active ? 'fallback' : 'reconnecting', reason)) changed()
  }

  function attemptNow(): void {
    clearRetry()
    if (halted()) return
    if (!delivery.canOpen(held)) return waitForSymbols()
    info.attempt += 1
    info.stats.reconnects += 1
    retry.attempt()
    const { status } = info
    if (status === 'offline' || status === 'error' || status === 'closed' || status === 'idle')
      setStatus(info.fallback.active ? 'fallback' : 'reconnecting', info.reason)
    changed()
    openSocket()
  }

  // ---- starting, the wanted set, and the browser's online and focus signals -------------

  function start(): void {
    if (started || halted() || !cfg.enabled) return
    started = true
    unlisten = watchEnvironment({
      onOffline() {
        // An open socket is left to the heartbeat: the browser's word alone does not close it.
        if (halted() || session !== null) return
        const { status } = info
        if (status === 'reconnecting' || status === 'fallback' || status === 'connecting') {
          clearRetry()
          setStatus('offline', 'offline')
        }
      },
      onOnline() {
        if (halted() || info.status !== 'offline') return
        // Started while offline: this is the first connection, not a reconnect attempt.
        if (!attempted) return begin()
        attemptNow()
      },
      onFocus() {
        // A page that comes back to the foreground should not wait out a long backoff.
        if (retryTimer !== undefined && !halted()) attemptNow()
      },
    })
    begin()
  }

  function wantedChanged(): void {
    const inactive = !started || halted() || info.status === 'error' || info.status === 'closed'
    if (waiting) return void (!inactive && delivery.canOpen(held) && begin())
    if (!inactive && !delivery.canOpen(wanted)) return waitForSymbols()
    delivery.changed(wanted, held)
  }

  const connection: Connection = {
    name,
    start,
    setWanted(symbols, heldSymbols = symbols) {
      wanted = limit.apply(symbols, wanted)
      // Usually every wanted symbol is held: then one set serves both (no copy per symbol).
      const all = heldSymbols.length === wanted.size && heldSymbols.every((s) => wanted.has(s))
      held = all ? wanted : new Set(heldSymbols.filter((symbol) => wanted.has(symbol)))
      wantedChanged()
    },
    resync(symbols) {
      if (session) delivery.resync(symbols, wanted, held)
    },
    send(message) {
      if (destroyed) return
      if (session) {
        session.send(message)
        // A frame held behind a rate limit or pacing shows in `queuedFrames`.
        if (session.queued > 0) callbacks.onInfoChange('counters')
        return
      }
      const dropped = offlineQueue.push(message)
      if (dropped === 0) return callbacks.onInfoChange('counters')
      info.stats.dropped += dropped
      changed()
    },
    reconnect() {
      if (destroyed || !cfg.enabled) return
      sticky = false
      // A manual reconnect is a fresh start: spent attempts and refused tokens are forgiven.
      info.attempt = 0
      retry.forgive()
      if (!started) return start()
      if (!delivery.canOpen(held)) return waitForSymbols()
      dropSocket(1000, 'reconnect')
      setStatus(info.fallback.active ? 'fallback' : 'reconnecting', 'manual')
      attemptNow()
    },
    disconnect() {
      if (destroyed) return
      sticky = true
      clearRetry()
      dropSocket(1000, 'disconnect')
      setStatus('closed', 'manual')
    },
    destroy() {
      if (destroyed) return
      clearRetry()
      dropSocket(1000, 'destroy')
      destroyed = true
      limit.stop()
      unlisten?.()
      unlisten = undefined
      setStatus('closed', 'manual')
    },
    getInfo: () => ({
      ...info,
      fallback: { ...info.fallback },
      stats: { ...info.stats },
      queuedFrames: session ? session.queued : offlineQueue.size,
    }),
  }

  if (deps.autoStart && !cfg.lazy) start()
  return connection
}
