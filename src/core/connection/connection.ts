import { backoffDelay } from './backoff'
import type { Frame } from '../codecs/types'
import type { ConnectionConfig } from '../config'
import { DEFAULTS } from '../config'
import type { Connection, ConnectionCallbacks } from './types'
import { resolveConnectionConfig } from './resolve-options'
import { isOnline, watchEnvironment } from './environment'
import { smoothLatency } from './heartbeat'
import { frameSize, readFrameInto } from './read-frame'
import { BoundedQueue } from './outbound-queue'
import type { InboundEvent, InboundSink } from '../protocols/types'
import { openSocketSession, type SocketSession } from './socket-session'
import { createSseReopen } from '../transports/sse-reopen'
import { emptyStats } from './stats'
import { createSymbolLimit } from '../subscriptions/symbol-limit'
import type { TimerHandle, TimerProvider } from '../timers'
import { transportFor } from '../transports/index'
import type { Transport } from '../transports/types'
import type { ConnectionInfo, ConnectionStatus, StreamErrorEvent } from '../types'

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
 * Creates one connection: the life of its socket (state machine, heartbeat, backoff,
 * fallback decision, outbound queue, statistics), as PROTOCOL.md sections 1 to 4 and 6 say.
 * It applies `DEFAULTS` itself; see `ConnectionConfig` for every option and its default.
 *
 * It starts at once unless `config.lazy` (then at `start()`), `config.enabled === false`
 * (never), or `deps.autoStart === false` (at `start()`). Nothing global is touched before it
 * starts: the online and focus listeners are added by `start()` and removed by `destroy()`.
 *
 * With `transport: 'sse'` and nothing wanted, no stream is opened (a feed server refuses an
 * empty `?symbols=`, which would count as a failed attempt): the status is `idle` with reason
 * `no_symbols` until a symbol is wanted, and a stream whose last symbol goes is closed and the
 * connection returns to that state, without a reconnect or a fallback.
 *
 * Symbols beyond the protocol's `maxSymbolsPerConnection` are not sent; they are reported to
 * the manager as a `symbol_error` of code `limit_exceeded`.
 */
export function createConnection(
  name: string,
  config: ConnectionConfig,
  callbacks: ConnectionCallbacks,
  deps: ConnectionDeps,
): Connection {
  const cfg = resolveConnectionConfig(config)
  const { timers, random } = deps
  const protocol = cfg.protocol
  const sse = cfg.transport === 'sse'
  const factory = transportFor(cfg.transport, config)
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
  let wanted = new Set<string>()

  // The socket of the moment and everything tied to it; `generation` makes late callbacks of
  // an abandoned socket (or of a token request) harmless.
  let generation = 0
  let transport: Transport | null = null
  // Present while the socket is open: its outbound path, subscriptions and heartbeat.
  let session: SocketSession | null = null

  let started = false
  let attempted = false // whether any socket was ever tried: the first one is not a reconnect
  let destroyed = false
  let sticky = false // disconnect() holds until reconnect()
  let sseWaiting = false // SSE with nothing wanted: idle, no stream until a symbol is wanted
  let failures = 0 // attempts in a row that failed before opening
  let unauthorizedCloses = 0
  let tooManyConnections = false
  let retryTimer: TimerHandle | undefined
  /** Limits the opening handshake; cleared on open and whenever the socket is dropped. */
  let openTimer: TimerHandle | undefined
  let unlisten: (() => void) | undefined

  const changed = (): void => callbacks.onInfoChange()
  const emitError = (event: Omit<StreamErrorEvent, 'connection'>): void =>
    callbacks.onError({ connection: name, ...event })
  const sseReopen = createSseReopen({
    timers,
    delayMs: DEFAULTS.sseReopenDelayMs,
    reopen: () => openSocket(),
  })
  const limit = createSymbolLimit({
    max: protocol.maxSymbolsPerConnection,
    protocolName: protocol.name,
    report(symbols, message) {
      callbacks.onData(
        { type: 'symbol_error', code: 'limit_exceeded', message, symbols },
        timers.now(),
      )
    },
  })

  /** The one place status changes; returns whether status or reason changed. */
  function setStatus(newState: ConnectionStatus, reason?: string): boolean {
    const oldState = info.status
    if (oldState === newState && info.reason === reason) return false
    info.status = newState
    if (reason === undefined) delete info.reason
    else info.reason = reason
    changed()
    if (oldState !== newState) {
      callbacks.onStatus(
        reason === undefined
          ? { connection: name, newState, oldState }
          : { connection: name, newState, oldState, reason },
      )
    }
    return true
  }

  function clearRetry(): void {
    if (retryTimer !== undefined) timers.clearTimeout(retryTimer)
    retryTimer = undefined
    delete info.nextRetryAt
  }

  /** Forgets the current socket without any callback from it; unsent app frames go back to the queue. */
  function dropSocket(code?: number, reason?: string): void {
    clearOpenTimer()
    generation += 1
    if (session) info.stats.dropped += offlineQueue.prepend(session.close())
    session = null
    const t = transport
    transport = null
    delete info.stats.connectedAt
    sseReopen.cancel()
    t?.close(code, reason)
  }

  // ---- opening -------------------------------------------------------------------------

  /** Whether this is an SSE connection with nothing to stream: then no stream may be opened. */
  const nothingToStream = (): boolean => sse && wanted.size === 0

  /** The first connection (at start, when online again after starting offline, or when a symbol is wanted again over SSE). */
  function begin(): void {
    sseWaiting = false
    if (nothingToStream()) return waitForSymbols()
    if (!isOnline()) {
      setStatus('offline', 'offline')
      return
    }
    setStatus('connecting')
    openSocket()
  }

  /**
   * SSE with nothing wanted: no stream, no retry, no fallback; status `idle`, reason
   * `no_symbols`. The next want is a first connection again, not a reconnect.
   */
  function waitForSymbols(): void {
    clearRetry()
    dropSocket(1000, 'no_symbols')
    sseWaiting = true
    attempted = false
    failures = 0
    info.attempt = 0
    if (info.fallback.active) info.fallback = { active: false }
    if (!setStatus('idle', 'no_symbols')) changed()
  }

  function openSocket(): void {
    if (destroyed || sticky) return
    if (nothingToStream()) return waitForSymbols()
    sseWaiting = false
    attempted = true
    dropSocket()
    const gen = generation
    if (!cfg.getToken) return createTransport(gen, undefined)
    const getToken = cfg.getToken
    // Asked before every open, so a 4401 is followed by a fresh token.
    Promise.resolve()
      .then(() => getToken())
      .then(
        (token) => {
          if (gen === generation && !destroyed && !sticky) createTransport(gen, String(token))
        },
        () => {
          if (gen !== generation || destroyed || sticky) return
          info.stats.errors += 1
          // Never the error's text: a provider may put the token or a secret in it.
          emitError({ kind: 'auth', message: 'the token provider failed' })
          failures += 1
          scheduleReconnect('auth')
        },
      )
  }

  function createTransport(gen: number, token: string | undefined): void {
    const symbols = [...wanted]
    let t: Transport
    try {
      t = factory(
        { url: cfg.url, protocols: sse ? [] : protocol.subprotocols(cfg.encoding), symbols },
        {
          onOpen: (subprotocol) => {
            if (gen === generation) onSocketOpen(t, subprotocol, token, symbols)
          },
          onFrame: (frame) => {
            if (gen === generation) onFrame(frame)
          },
          onClose: (code) => {
            if (gen === generation) onSocketClose(code)
          },
          onError: (message) => {
            if (gen !== generation) return
            info.stats.errors += 1
            emitError({ kind: 'transport', message })
            changed()
          },
        },
      )
    } catch {
      failures += 1
      info.stats.errors += 1
      emitError({
        kind: 'transport',
        code: 'no_websocket',
        message: `no ${sse ? 'EventSource' : 'WebSocket'} could be made`,
      })
      activateFallback('no_websocket')
      scheduleReconnect('no_websocket')
      return
    }
    transport = t
    if (sse) sseReopen.streamMade(symbols)
    // The heartbeat starts only once a socket is open, so the opening handshake needs its own
    // limit: a server that accepts TCP and never answers the upgrade (a frozen process, a
    // black-holed balancer) would otherwise leave the connection `connecting` for ever.
    openTimer = timers.setTimeout(() => {
      openTimer = undefined
      if (gen !== generation || session !== null || destroyed) return
      failures += 1
      dropSocket(STALE_CLOSE_CODE, 'open_timeout')
      scheduleReconnect('open_timeout')
    }, cfg.staleTimeoutMs)
  }

  function clearOpenTimer(): void {
    if (openTimer !== undefined) timers.clearTimeout(openTimer)
    openTimer = undefined
  }

  function onSocketOpen(
    t: Transport,
    subprotocol: string,
    token: string | undefined,
    symbols: string[],
  ): void {
    const now = timers.now()
    clearOpenTimer()
    failures = 0
    tooManyConnections = false
    clearRetry()
    info.attempt = 0
    info.stats.connectedAt = now
    if (info.fallback.active) info.fallback = { active: false }
    // A fresh session: ids, subscriptions and a rate-limit hold belong to one socket.
    const open = openSocketSession({
      timers,
      protocol,
      transport: t,
      subprotocol,
      codecs: cfg.codecs,
      maxPerFrame,
      maxQueue: cfg.maxQueue,
      heartbeatIntervalMs: cfg.heartbeatIntervalMs,
      staleTimeoutMs: cfg.staleTimeoutMs,
      oneWay: sse,
      wanted: () => wanted,
      onWritten(bytes, frame) {
        callbacks.onFrame?.('out', frame)
        info.stats.messagesOut += 1
        info.stats.bytesOut += bytes
        // Counters only: an app that sends a lot must not copy the info into the store per frame.
        callbacks.onInfoChange('counters')
      },
      onDropped(count) {
        info.stats.dropped += count
        changed()
      },
      onWriteError(message, counted) {
        if (counted) info.stats.errors += 1
        emitError({ kind: 'transport', message })
      },
      onStale,
    })
    session = open
    setStatus('open')
    open.begin(token, symbols, offlineQueue.drain())
    changed()
    callbacks.onOpen()
    // The wanted set may have changed while the stream was opening.
    if (sse) sseReopen.check(wanted)
  }

  // ---- closing and reconnecting --------------------------------------------------------

  function onSocketClose(code: number, closeWith?: number): void {
    const wasOpen = session !== null
    dropSocket(closeWith)
    if (destroyed || sticky) return
    if (!wasOpen) failures += 1
    if (code === 4401) {
      unauthorizedCloses += 1
      if (unauthorizedCloses >= DEFAULTS.unauthorizedCloseLimit) {
        emitError({
          kind: 'auth',
          code: 'unauthorized',
          message: 'the server refused the token 3 times in a row',
        })
        clearRetry()
        setStatus('error', 'unauthorized')
        return
      }
    }
    if (code === 4429) tooManyConnections = true
    scheduleReconnect(`server_close:${code}`)
  }

  function onStale(): void {
    // close() detaches at once: a half-open socket never completes the closing handshake.
    dropSocket(STALE_CLOSE_CODE, 'stale')
    scheduleReconnect('stale')
  }

  function activateFallback(reason: string): void {
    if (info.fallback.active) return
    info.fallback = { active: true, reason, since: timers.now() }
    changed()
  }

  function scheduleReconnect(reason: string): void {
    clearRetry()
    if (destroyed || sticky) return
    if (failures >= cfg.fallbackAfterFailures) activateFallback('failures')
    if (!cfg.autoReconnect) {
      setStatus('closed', reason)
      return
    }
    if (info.attempt >= cfg.reconnect.maxAttempts) {
      setStatus('error', 'max_attempts')
      return
    }
    if (!isOnline()) {
      setStatus('offline', 'offline')
      return
    }
    let delay = backoffDelay(info.attempt, cfg.reconnect, random)
    if (tooManyConnections) {
      // 4429: the server has too many connections; come back no sooner than the longest wait.
      delay = Math.max(delay, cfg.reconnect.maxDelayMs * (1 - cfg.reconnect.jitter))
      tooManyConnections = false
    }
    info.nextRetryAt = timers.now() + delay
    retryTimer = timers.setTimeout(attemptNow, delay)
    if (!setStatus(info.fallback.active ? 'fallback' : 'reconnecting', reason)) changed()
  }

  function attemptNow(): void {
    clearRetry()
    if (destroyed || sticky) return
    if (nothingToStream()) return waitForSymbols()
    info.attempt += 1
    info.stats.reconnects += 1
    if (
      info.status === 'offline' ||
      info.status === 'error' ||
      info.status === 'closed' ||
      info.status === 'idle'
    ) {
      setStatus(info.fallback.active ? 'fallback' : 'reconnecting', info.reason)
    }
    changed()
    openSocket()
  }

  // ---- inbound -------------------------------------------------------------------------

  // The frame being read: its receive time and the socket generation it belongs to, set once
  // per frame for the sink below rather than captured in a closure per frame or message.
  let frameAt = 0
  let frameGen = -1

  /** Where `readFrameInto` hands each message of a frame; one object for the connection's life. */
  const inbound: InboundSink = {
    tick(type, symbol, seq, ts, data) {
      // An `unauthorized` error ends the socket: the rest of its frame no longer counts.
      if (frameGen !== generation) return
      unauthorizedCloses = 0
      if (callbacks.onTick) callbacks.onTick(type, symbol, seq, ts, data, frameAt)
      else
        callbacks.onData(
          ts === undefined ? { type, symbol, seq, data } : { type, symbol, seq, ts, data },
          frameAt,
        )
    },
    event(event) {
      if (frameGen !== generation) return
      handleEvent(event, frameAt)
    },
  }

  function onFrame(frame: Frame): void {
    callbacks.onFrame?.('in', frame)
    // One clock read per frame: every message of a batch shares the frame's receive time.
    const now = timers.now()
    info.stats.messagesIn += 1
    info.stats.bytesIn += frameSize(frame)
    info.stats.lastMessageAt = now
    // Any frame counts as life, even one that turns out invalid.
    session?.frameReceived()
    const codec = session ? cfg.codecs[session.codecName] : undefined
    // Saved and restored: a listener may make a frame arrive inside this one (a loopback).
    const outerAt = frameAt
    const outerGen = frameGen
    frameAt = now
    frameGen = generation
    readFrameInto(frame, cfg.maxMessageBytes, protocol, codec, inbound)
    frameAt = outerAt
    frameGen = outerGen
    // Only counters changed here; what a UI shows (status, latency) signals on its own.
    callbacks.onInfoChange('counters')
  }

  function handleEvent(event: InboundEvent, receivedAt: number): void {
    if (event.type !== 'error' && event.type !== 'invalid') unauthorizedCloses = 0
    switch (event.type) {
      case 'invalid':
        info.stats.invalid += 1
        return emitError({ kind: 'invalid_frame', code: event.code, message: event.message })
      case 'pong': {
        const latency = timers.now() - event.ts
        if (latency < 0 || !Number.isFinite(latency)) return
        info.latencyMs = latency
        info.avgLatencyMs = smoothLatency(info.avgLatencyMs, latency)
        // Latency is shown (status pill, tooltip): not a counter, so it goes out at the next frame.
        changed()
        return
      }
      case 'welcome':
        if (event.heartbeatMs !== undefined) session?.adviseInterval(event.heartbeatMs)
        return
      case 'ack':
        return
      case 'error':
        return handleServerError(event, receivedAt)
      default:
        callbacks.onData(event, receivedAt)
    }
  }

  function handleServerError(
    event: Extract<InboundEvent, { type: 'error' }>,
    receivedAt: number,
  ): void {
    switch (event.code) {
      case 'unknown_symbol': {
        const symbols = event.symbols ?? []
        // Not subscribed any more on this socket: a later want must subscribe it afresh.
        session?.forget(symbols)
        callbacks.onData(
          { type: 'symbol_error', code: event.code, message: event.message, symbols },
          receivedAt,
        )
        return
      }
      case 'rate_limited':
        const seconds = event.retryAfter
        // A negative, NaN or infinite advice is no advice: the protocol's default applies.
        const hold =
          seconds !== undefined && Number.isFinite(seconds) && seconds >= 0
            ? seconds
            : DEFAULTS.rateLimitRetryAfterS
        session?.holdFor(hold * 1000)
        return
      case 'unauthorized':
        // As close code 4401: this socket is refused; count it and reconnect with a new token.
        return onSocketClose(4401, 1000)
      default:
        info.stats.errors += 1
        emitError(
          event.symbols
            ? {
                kind: 'server_error',
                code: event.code,
                message: event.message,
                symbols: event.symbols,
              }
            : { kind: 'server_error', code: event.code, message: event.message },
        )
    }
  }

  // ---- the wanted set -------------------------------------------------------------------

  /** A new wanted set over SSE: the stream follows it, or waits for symbols when it is empty. */
  function sseWantedChanged(): void {
    // Not started, disconnected, given up or closed for good: nothing to open or close here.
    if (!started || destroyed || sticky || info.status === 'error' || info.status === 'closed')
      return
    if (wanted.size === 0) {
      if (!sseWaiting) waitForSymbols()
      return
    }
    if (sseWaiting) return begin()
    if (transport) sseReopen.check(wanted)
  }

  // ---- starting, and the browser's online and focus signals ----------------------------

  function start(): void {
    if (started || destroyed || sticky || !cfg.enabled) return
    started = true
    unlisten = watchEnvironment({
      onOffline() {
        // An open socket is left to the heartbeat: the browser's word alone does not close it.
        if (destroyed || sticky || session !== null) return
        if (
          info.status === 'reconnecting' ||
          info.status === 'fallback' ||
          info.status === 'connecting'
        ) {
          clearRetry()
          setStatus('offline', 'offline')
        }
      },
      onOnline() {
        if (destroyed || sticky || info.status !== 'offline') return
        // Started while offline: this is the first connection, not a reconnect attempt.
        if (!attempted) return begin()
        attemptNow()
      },
      onFocus() {
        // A page that comes back to the foreground should not wait out a long backoff.
        if (retryTimer !== undefined && !destroyed && !sticky) attemptNow()
      },
    })
    begin()
  }

  const connection: Connection = {
    name,
    start,
    setWanted(symbols) {
      wanted = limit.apply(symbols, wanted)
      if (sse) sseWantedChanged()
      else session?.syncWanted()
    },
    resync(symbols) {
      if (!session) return
      if (sse) {
        // SSE has no resync frame: a reopened stream starts with a snapshot per symbol.
        sseReopen.invalidate()
        return sseReopen.check(wanted)
      }
      session.resync(symbols)
    },
    send(message) {
      if (destroyed) return
      if (session) return session.send(message)
      const dropped = offlineQueue.push(message)
      if (dropped > 0) {
        info.stats.dropped += dropped
        changed()
      }
    },
    reconnect() {
      if (destroyed || !cfg.enabled) return
      sticky = false
      // A manual reconnect is a fresh start: spent attempts and refused tokens are forgiven.
      info.attempt = 0
      unauthorizedCloses = 0
      if (!started) return start()
      if (nothingToStream()) return waitForSymbols()
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
    getInfo() {
      return {
        ...info,
        fallback: { ...info.fallback },
        stats: { ...info.stats },
      }
    },
  }

  if (deps.autoStart && !cfg.lazy) start()
  return connection
}
