import { focusManager, onlineManager } from '@tanstack/query-core'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { WebSocketConstructor } from '../../src/core/config'
import type { Connection } from '../../src/core/connection/types'
import { countingTimers, openConnection, type Recorder } from '../helpers/connectionHarness'
import { createTestServer, type TestServer } from '../helpers/testServer'

// Fake the clock and timers, keep real I/O: sockets, setImmediate (waitFor) and performance.
const FAKE = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const

let server: TestServer
let conn: Connection | undefined
let rec: Recorder

beforeEach(async () => {
  vi.useFakeTimers({ toFake: [...FAKE] })
  server = await createTestServer()
})
afterEach(async () => {
  conn?.destroy()
  conn = undefined
  vi.useRealTimers()
  onlineManager.setOnline(true)
  focusManager.setFocused(undefined)
  await server.close()
})

const open = (
  config: Parameters<typeof openConnection>[1] = {},
  options: Parameters<typeof openConnection>[2] = {},
): void => {
  const o = openConnection(server.url, config, options)
  conn = o.conn
  rec = o.rec
}
const info = () => (conn as Connection).getInfo()
const untilStatus = (status: string, reason?: string) =>
  server.waitFor(
    () => info().status === status && (reason === undefined || info().reason === reason),
  )
const delayLeft = (): number => (info().nextRetryAt ?? NaN) - Date.now()

describe('connection life (PROTOCOL.md section 4)', () => {
  test('the first connection is made at once and is not a reconnect attempt', async () => {
    open()
    expect(info().status).toBe('connecting')
    await untilStatus('open')
    expect(rec.statuses.map((s) => s.newState)).toEqual(['connecting', 'open'])
    expect(info().stats.reconnects).toBe(0)
    expect(info().attempt).toBe(0)
    expect(rec.opens).toBe(1)
  })

  test('reconnect delay for attempt n is min(max, initial*2^n) times the jitter factor', async () => {
    // random() = 0 gives the lowest factor, 1 - jitter = 0.8.
    open({}, { random: () => 0 })
    await untilStatus('open')
    server.refuse('reject')
    server.dropAll()
    await untilStatus('reconnecting', 'server_close:1006')
    const seen: number[] = []
    for (let n = 0; n < 4; n++) {
      seen.push(delayLeft())
      const upgrades = server.upgrades
      vi.advanceTimersByTime(delayLeft() - 1)
      expect(server.upgrades).toBe(upgrades)
      vi.advanceTimersByTime(1)
      await server.waitFor(
        () => server.upgrades === upgrades + 1 && info().nextRetryAt !== undefined,
      )
    }
    expect(seen).toEqual([800, 1600, 3200, 6400])
    expect(info().stats.reconnects).toBe(4)
  })

  test('the attempt count resets when a socket opens; the backoff once it has carried data', async () => {
    open()
    await untilStatus('open')
    server.refuse('reject')
    server.dropAll()
    await untilStatus('reconnecting')
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => info().attempt === 1 && info().nextRetryAt !== undefined)
    expect(delayLeft()).toBe(2000)
    server.accept()
    vi.advanceTimersByTime(2000)
    await untilStatus('open')
    expect(info().attempt).toBe(0)
    // A healthy socket (one that carried data) forgives the backoff; an open one alone does not.
    server.send(server.snapshot('A'))
    await server.waitFor(() => info().stats.messagesIn === 1)
    server.dropAll()
    await untilStatus('reconnecting')
    expect(delayLeft()).toBe(1000)
  })

  test('when the attempts are spent the status is error with reason max_attempts', async () => {
    const timers = countingTimers()
    open({ reconnect: { maxAttempts: 2 } }, { timers })
    await untilStatus('open')
    server.refuse('reject')
    server.dropAll()
    await untilStatus('reconnecting')
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => server.upgrades === 2 && info().nextRetryAt !== undefined)
    vi.advanceTimersByTime(2000)
    await untilStatus('error', 'max_attempts')
    expect(info().stats.reconnects).toBe(2)
    expect(timers.pending).toBe(0)
    vi.advanceTimersByTime(600_000)
    expect(server.upgrades).toBe(3)
  })

  test('autoReconnect: false leaves the connection closed after a drop', async () => {
    const timers = countingTimers()
    open({ autoReconnect: false }, { timers })
    await untilStatus('open')
    server.dropAll()
    await untilStatus('closed', 'server_close:1006')
    expect(timers.pending).toBe(0)
    vi.advanceTimersByTime(600_000)
    expect(server.upgrades).toBe(1)
  })

  test('reconnect() skips the backoff wait', async () => {
    open()
    await untilStatus('open')
    server.dropAll()
    await untilStatus('reconnecting')
    expect(delayLeft()).toBe(1000)
    conn?.reconnect()
    await untilStatus('open')
    expect(server.opened).toBe(2)
  })

  test('disconnect() sticks: no timer, online or focus event reconnects until reconnect()', async () => {
    const timers = countingTimers()
    open({}, { timers })
    await untilStatus('open')
    conn?.disconnect()
    expect(info()).toMatchObject({ status: 'closed', reason: 'manual' })
    await server.waitFor(() => server.openNow === 0)
    expect(timers.pending).toBe(0)
    onlineManager.setOnline(false)
    onlineManager.setOnline(true)
    focusManager.setFocused(false)
    focusManager.setFocused(true)
    vi.advanceTimersByTime(600_000)
    await new Promise((r) => setImmediate(r))
    expect(server.upgrades).toBe(1)
    expect(info().status).toBe('closed')
    conn?.reconnect()
    await untilStatus('open')
    expect(server.opened).toBe(2)
  })

  test('close 4401: a new token and a reconnect after backoff; 3 in a row end in error/unauthorized', async () => {
    let calls = 0
    const token = 'sekrit-token-value'
    open({ getToken: () => `${token}-${++calls}` })
    await untilStatus('open')
    await server.waitFor(() => server.received.length === 1)
    expect(server.received[0]).toEqual({ type: 'auth', token: `${token}-1` })
    server.refuse('close', Number.POSITIVE_INFINITY, 4401)
    server.closeAll(4401)
    await untilStatus('reconnecting', 'server_close:4401')
    vi.advanceTimersByTime(delayLeft())
    await server.waitFor(() => calls === 2 && info().nextRetryAt !== undefined)
    vi.advanceTimersByTime(delayLeft())
    await untilStatus('error', 'unauthorized')
    expect(calls).toBe(3)
    expect(rec.errors.filter((e) => e.kind === 'auth')).toHaveLength(1)
    // The token is never in info, stats or error events.
    expect(JSON.stringify([info(), rec.errors, rec.statuses])).not.toContain(token)
  })

  test('a server that greets with welcome before refusing the token: 3 refusals end in error/unauthorized, and the backoff grows', async () => {
    open({ getToken: () => 't' }, { random: () => 0 })
    const delays: number[] = []
    for (let i = 1; i <= 3; i++) {
      // Each socket: the auth frame arrives, the server greets, then refuses the token.
      await server.waitFor(() => server.opened === i && server.received.length === i)
      server.send({ type: 'welcome', serverTime: Date.now(), heartbeatMs: 30_000 }, server.last)
      await server.waitFor(() => info().stats.messagesIn === i)
      server.closeAll(4401)
      if (i === 3) break
      await untilStatus('reconnecting', 'server_close:4401')
      delays.push(delayLeft())
      vi.advanceTimersByTime(delayLeft())
    }
    await untilStatus('error', 'unauthorized')
    // The open, greeted sockets were refused before they carried data: no backoff reset.
    expect(delays).toEqual([800, 1600])
    expect(server.opened).toBe(3)
    expect(rec.errors.filter((e) => e.code === 'unauthorized')).toHaveLength(1)
  })

  test('a socket that stays open a while without data is healthy: the backoff starts over', async () => {
    open({ heartbeatIntervalMs: 60_000, staleTimeoutMs: 120_000 }, { random: () => 0 })
    await untilStatus('open')
    server.dropAll()
    await untilStatus('reconnecting')
    vi.advanceTimersByTime(delayLeft())
    await untilStatus('open')
    server.dropAll()
    await untilStatus('reconnecting')
    // Refused before it proved healthy: the second wait is longer.
    expect(delayLeft()).toBe(1600)
    vi.advanceTimersByTime(delayLeft())
    await untilStatus('open')
    vi.advanceTimersByTime(10_000)
    server.dropAll()
    await untilStatus('reconnecting')
    expect(delayLeft()).toBe(800)
  })

  test('a failing token provider: an auth error without its text, no socket, and a retry after backoff', async () => {
    let calls = 0
    open({
      getToken: () => {
        calls += 1
        if (calls === 1) throw new Error('secret-in-message')
        return 'ok'
      },
    })
    await untilStatus('reconnecting', 'auth')
    expect(server.upgrades).toBe(0)
    expect(rec.errors).toEqual([
      { connection: 'default', kind: 'auth', message: 'the token provider failed' },
    ])
    vi.advanceTimersByTime(delayLeft())
    await untilStatus('open')
    await server.waitFor(() => server.received.length === 1)
    expect(server.received[0]).toEqual({ type: 'auth', token: 'ok' })
  })

  test('a non-error frame between 4401 closes resets their count', async () => {
    open({ getToken: () => 't' })
    await untilStatus('open')
    for (let i = 0; i < 4; i++) {
      const opened = server.opened
      server.send(server.snapshot('A'))
      await server.waitFor(() => info().stats.messagesIn === i + 1)
      server.closeAll(4401)
      await untilStatus('reconnecting', 'server_close:4401')
      vi.advanceTimersByTime(delayLeft())
      await server.waitFor(() => server.opened === opened + 1 && info().status === 'open')
    }
    expect(info().status).toBe('open')
  })

  test('close 4429: the next attempt waits at least maxDelayMs * (1 - jitter)', async () => {
    open({}, { random: () => 0 })
    await untilStatus('open')
    server.closeAll(4429)
    await untilStatus('reconnecting', 'server_close:4429')
    expect(delayLeft()).toBe(48_000)
    vi.advanceTimersByTime(47_999)
    expect(server.upgrades).toBe(1)
    vi.advanceTimersByTime(1)
    await untilStatus('open')
    server.send(server.snapshot('A'))
    await server.waitFor(() => info().stats.messagesIn === 1)
    // Only the next attempt: later ones use the plain backoff again.
    server.dropAll()
    await untilStatus('reconnecting', 'server_close:1006')
    expect(delayLeft()).toBe(800)
  })

  test('every other close code reconnects with backoff and reason server_close:<code>', async () => {
    open()
    await untilStatus('open')
    server.closeAll(1011)
    await untilStatus('reconnecting', 'server_close:1011')
    vi.advanceTimersByTime(1000)
    await untilStatus('open')
  })
})

describe('fallback decision (PROTOCOL.md section 4)', () => {
  test('after fallbackAfterFailures failed attempts in a row: status fallback, attempts go on, first open leaves it', async () => {
    server.refuse('reject')
    open()
    await untilStatus('reconnecting')
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => server.upgrades === 2 && info().nextRetryAt !== undefined)
    expect(info().fallback.active).toBe(false)
    vi.advanceTimersByTime(2000)
    await untilStatus('fallback')
    expect(info().fallback).toEqual({ active: true, reason: 'failures', since: Date.now() })
    server.accept()
    vi.advanceTimersByTime(4000)
    await untilStatus('open')
    expect(info().fallback).toEqual({ active: false })
  })

  test('the drop of an open socket does not count as a failed attempt', async () => {
    open()
    await untilStatus('open')
    server.refuse('reject')
    server.dropAll()
    await untilStatus('reconnecting')
    vi.advanceTimersByTime(1000)
    await server.waitFor(() => server.upgrades === 2 && info().nextRetryAt !== undefined)
    vi.advanceTimersByTime(2000)
    await server.waitFor(() => server.upgrades === 3 && info().nextRetryAt !== undefined)
    // Two failed attempts after the drop: not yet three.
    expect(info().status).toBe('reconnecting')
    vi.advanceTimersByTime(4000)
    await untilStatus('fallback')
  })

  test('no WebSocket at all (the constructor throws): status fallback, reason no_websocket, retries go on', async () => {
    const Throwing = function () {
      throw new Error('blocked')
    } as unknown as WebSocketConstructor
    open({ WebSocket: Throwing })
    expect(info()).toMatchObject({
      status: 'fallback',
      reason: 'no_websocket',
      fallback: { active: true, reason: 'no_websocket' },
    })
    vi.advanceTimersByTime(1000)
    expect(info().stats.reconnects).toBe(1)
    expect(info().status).toBe('fallback')
  })
})

describe('starting, offline and focus', () => {
  test('lazy: idle until start()', async () => {
    open({ lazy: true })
    vi.advanceTimersByTime(10_000)
    await new Promise((r) => setImmediate(r))
    expect(info().status).toBe('idle')
    expect(server.upgrades).toBe(0)
    conn?.start()
    await untilStatus('open')
  })

  test('autoStart false: idle until start(); start() is idempotent', async () => {
    open({}, { autoStart: false })
    expect(info().status).toBe('idle')
    conn?.start()
    conn?.start()
    await untilStatus('open')
    expect(server.opened).toBe(1)
  })

  test('enabled: false never opens, even on start() or reconnect()', async () => {
    open({ enabled: false })
    conn?.start()
    conn?.reconnect()
    vi.advanceTimersByTime(10_000)
    await new Promise((r) => setImmediate(r))
    expect(info().status).toBe('idle')
    expect(server.upgrades).toBe(0)
  })

  test('offline pauses attempts; back online attempts at once', async () => {
    const timers = countingTimers()
    open({}, { timers })
    await untilStatus('open')
    server.dropAll()
    await untilStatus('reconnecting')
    onlineManager.setOnline(false)
    expect(info()).toMatchObject({ status: 'offline', reason: 'offline' })
    expect(timers.pending).toBe(0)
    vi.advanceTimersByTime(600_000)
    await new Promise((r) => setImmediate(r))
    expect(server.upgrades).toBe(1)
    onlineManager.setOnline(true)
    await untilStatus('open')
    expect(server.opened).toBe(2)
  })

  test('started while offline: offline at once, and back online the first connection is not a reconnect', async () => {
    onlineManager.setOnline(false)
    open()
    expect(info()).toMatchObject({ status: 'offline', reason: 'offline' })
    expect(server.upgrades).toBe(0)
    onlineManager.setOnline(true)
    await untilStatus('open')
    expect(rec.statuses.map((e) => e.newState)).toEqual(['offline', 'connecting', 'open'])
    expect(info().stats.reconnects).toBe(0)
  })

  test('a drop while offline goes straight to offline, with no timer', async () => {
    const timers = countingTimers()
    open({}, { timers })
    await untilStatus('open')
    onlineManager.setOnline(false)
    // An open socket is left alone: only the browser's word, the heartbeat decides.
    expect(info().status).toBe('open')
    server.dropAll()
    await untilStatus('offline', 'offline')
    expect(timers.pending).toBe(0)
  })

  test('the page coming back to the foreground while waiting to reconnect attempts now', async () => {
    open({ reconnect: { initialDelayMs: 30_000 } })
    await untilStatus('open')
    focusManager.setFocused(false)
    server.dropAll()
    await untilStatus('reconnecting')
    expect(delayLeft()).toBe(30_000)
    focusManager.setFocused(true)
    await untilStatus('open')
    expect(server.opened).toBe(2)
  })

  test('destroy() leaves no socket, timer or listener', async () => {
    const timers = countingTimers()
    const onlineBefore = onlineManager.hasListeners()
    const focusBefore = focusManager.hasListeners()
    open({ heartbeatIntervalMs: 1000 }, { timers })
    await untilStatus('open')
    conn?.setWanted(['A'])
    conn?.send({ type: 'hello' })
    expect(timers.pending).toBeGreaterThan(0)
    expect(onlineManager.hasListeners()).toBe(true)
    conn?.destroy()
    expect(timers.pending).toBe(0)
    expect(onlineManager.hasListeners()).toBe(onlineBefore)
    expect(focusManager.hasListeners()).toBe(focusBefore)
    await server.waitFor(() => server.openNow === 0)
    vi.advanceTimersByTime(600_000)
    expect(server.upgrades).toBe(1)
    expect(info().status).toBe('closed')
  })

  test('destroy() while a reconnect is pending clears its timer', async () => {
    const timers = countingTimers()
    open({}, { timers })
    await untilStatus('open')
    server.dropAll()
    await untilStatus('reconnecting')
    expect(timers.pending).toBe(1)
    conn?.destroy()
    expect(timers.pending).toBe(0)
  })
})
