import { EventSource } from 'eventsource'
import { afterEach, describe, expect, test } from 'vitest'
import type { Connection } from '../../src/core/connection/types'
import { createStreamManager } from '../../src/core/manager'
import {
  manualTimers,
  openConnection,
  type ManualTimers,
  type Recorder,
} from '../helpers/connectionHarness'
import { startSseServer, type SseTestServer } from '../helpers/sseServer'

const NodeEventSource = EventSource

/** Streams the connection has created, counted at construction: no waiting on the network to see none. */
let made = 0
class CountingEventSource extends EventSource {
  constructor(...args: ConstructorParameters<typeof EventSource>) {
    super(...args)
    made += 1
  }
}
const CountedEventSource = CountingEventSource

let server: SseTestServer | undefined
let conn: Connection | undefined
let rec: Recorder
let timers: ManualTimers

afterEach(async () => {
  conn?.destroy()
  conn = undefined
  await server?.close()
  server = undefined
})

/** Resolves when `predicate()` holds, checked on every I/O turn; real time bounds it. */
function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (predicate()) resolve()
      else if (performance.now() - start > timeoutMs) reject(new Error('until: timed out'))
      else setImmediate(check)
    }
    check()
  })
}

async function setup(
  wanted: string[],
  config: Parameters<typeof openConnection>[1] = {},
): Promise<SseTestServer> {
  const s = await startSseServer()
  server = s
  timers = manualTimers()
  const o = openConnection(
    s.url,
    { transport: 'sse', EventSource: NodeEventSource, ...config },
    { timers, autoStart: false },
  )
  conn = o.conn
  rec = o.rec
  o.conn.setWanted(wanted)
  o.conn.start()
  await until(() => o.conn.getInfo().status === 'open' && s.open().length === 1)
  return s
}

describe('SSE mode (PROTOCOL.md section 6)', () => {
  test('the wanted set goes in the URL; no subscribe frame and no ping are sent', async () => {
    const s = await setup(['A', 'B'], { heartbeatIntervalMs: 1000, staleTimeoutMs: 60_000 })
    expect(s.clients[0]?.symbols).toEqual(['A', 'B'])
    await until(() => rec.data.length === 2)
    expect(rec.data.map((d) => d.type === 'snapshot' && d.symbol)).toEqual(['A', 'B'])
    timers.advance(10_000)
    expect(conn?.getInfo().stats.messagesOut).toBe(0)
  })

  test('a changed wanted set reopens the stream with the new list after 250 ms of quiet', async () => {
    const s = await setup(['A'])
    conn?.setWanted(['A', 'B'])
    timers.advance(200)
    conn?.setWanted(['A', 'C'])
    timers.advance(249)
    expect(s.clients).toHaveLength(1)
    timers.advance(1)
    await until(() => s.clients.length === 2 && s.open().length === 1)
    expect(s.clients[1]?.symbols).toEqual(['A', 'C'])
    expect(conn?.getInfo().status).toBe('open')
    // The same set again reopens nothing.
    conn?.setWanted(['C', 'A'])
    timers.advance(1000)
    await new Promise((r) => setImmediate(r))
    expect(s.clients).toHaveLength(2)
  })

  test('resync() reopens the stream', async () => {
    const s = await setup(['A'])
    conn?.resync(['A'])
    timers.advance(250)
    await until(() => s.clients.length === 2 && s.open().length === 1)
    expect(s.clients[1]?.symbols).toEqual(['A'])
  })

  test("there is no ping: the client's staleness timer alone watches the stream", async () => {
    await setup(['A'], { staleTimeoutMs: 3000 })
    timers.advance(2999)
    expect(conn?.getInfo().status).toBe('open')
    timers.advance(1)
    expect(conn?.getInfo()).toMatchObject({ status: 'reconnecting', reason: 'stale' })
  })

  test('with nothing wanted no stream is opened (no empty ?symbols=): idle, reason no_symbols; the first want opens it at once', async () => {
    const s = await startSseServer()
    server = s
    // The feed server refuses an empty list; a request for one would be a failed attempt.
    s.refuseWith(400)
    timers = manualTimers()
    made = 0
    const o = openConnection(
      s.url,
      { transport: 'sse', EventSource: CountedEventSource },
      { timers },
    )
    conn = o.conn
    rec = o.rec
    timers.advance(60_000)
    expect(made).toBe(0)
    expect(o.conn.getInfo()).toMatchObject({
      status: 'idle',
      reason: 'no_symbols',
      attempt: 0,
      fallback: { active: false },
    })
    expect(o.conn.getInfo().stats).toMatchObject({ errors: 0, reconnects: 0 })
    expect(rec.errors).toEqual([])
    s.refuseWith(null)
    o.conn.setWanted(['A'])
    await until(() => o.conn.getInfo().status === 'open' && s.open().length === 1)
    expect(s.clients.map((c) => c.symbols)).toEqual([['A']])
    expect(rec.statuses.map((e) => e.newState)).toEqual(['connecting', 'open'])
    expect(o.conn.getInfo().stats.reconnects).toBe(0)
  })

  test('when the last symbol goes the stream is closed and the connection waits, without reconnect churn', async () => {
    made = 0
    const s = await setup(['A'], { EventSource: CountedEventSource })
    conn?.setWanted([])
    await until(() => s.open().length === 0)
    expect(conn?.getInfo()).toMatchObject({ status: 'idle', reason: 'no_symbols' })
    timers.advance(120_000)
    expect(made).toBe(1)
    expect(conn?.getInfo().stats).toMatchObject({ reconnects: 0, errors: 0 })
    // Wanted again: a new stream at once (no 250 ms debounce, no backoff).
    conn?.setWanted(['B'])
    await until(() => conn?.getInfo().status === 'open' && s.open().length === 1)
    expect(s.clients.map((c) => c.symbols)).toEqual([['A'], ['B']])
    expect(made).toBe(2)
  })

  test('through the manager: a non-lazy SSE connection opens at the first subscribe and closes at the last release, with no failed attempt', async () => {
    const s = await startSseServer()
    server = s
    s.refuseWith(400)
    made = 0
    const manager = createStreamManager({
      url: s.url,
      transport: 'sse',
      EventSource: CountedEventSource,
      throttleMs: 0,
      unsubscribeDelayMs: 0,
    })
    try {
      const status = () => manager.store.getState().connections['default']
      await until(() => status()?.status === 'idle' && status()?.reason === 'no_symbols')
      expect(made).toBe(0)
      s.refuseWith(null)
      const release = manager.subscribe(['A'])
      await until(
        () => manager.store.getState().prices['A'] !== undefined && status()?.status === 'open',
      )
      expect(s.clients.map((c) => c.symbols)).toEqual([['A']])
      release()
      await until(() => s.open().length === 0 && status()?.status === 'idle')
      expect(made).toBe(1)
      expect(manager.getStats()).toMatchObject({ errors: 0, reconnects: 0 })
      expect(manager.store.getState().symbolErrors).toEqual({})
    } finally {
      manager.destroy()
    }
  })

  test('no EventSource at all: status fallback, reason no_websocket', async () => {
    timers = manualTimers()
    // Node 20 has no global EventSource, and none is passed.
    expect((globalThis as { EventSource?: unknown }).EventSource).toBeUndefined()
    const o = openConnection(
      'http://127.0.0.1:1/stream',
      { transport: 'sse' },
      { timers, autoStart: false },
    )
    conn = o.conn
    o.conn.setWanted(['A'])
    o.conn.start()
    expect(o.conn.getInfo()).toMatchObject({
      status: 'fallback',
      reason: 'no_websocket',
      fallback: { active: true },
    })
  })
})
