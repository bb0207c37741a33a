import { pack } from 'msgpackr'
import { afterEach, describe, expect, test, vi } from 'vitest'
import type { Connection } from '../../src/core/connection/types'
import { PACING_MARGIN_MS } from '../../src/core/connection/pacing'
import { tickwireProtocol } from '../../src/core/protocols/tickwire'
import { ofType, openConnection, type Recorder } from '../helpers/connectionHarness'
import { createTestServer, type TestServer } from '../helpers/testServer'

const FAKE = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const

let server: TestServer | undefined
let conn: Connection | undefined
let rec: Recorder

afterEach(async () => {
  conn?.destroy()
  conn = undefined
  vi.useRealTimers()
  await server?.close()
  server = undefined
})

async function setup(config: Parameters<typeof openConnection>[1] = {}): Promise<TestServer> {
  const s = await createTestServer()
  server = s
  const o = openConnection(s.url, config)
  conn = o.conn
  rec = o.rec
  await s.waitFor(() => o.conn.getInfo().status === 'open')
  return s
}
const c = (): Connection => conn as Connection
const info = () => c().getInfo()

describe('inbound frames (PROTOCOL.md sections 1 and 3)', () => {
  test('a client MUST treat an invalid frame as invalid: count it, emit invalid_frame, drop it, keep the connection (garbage keeps the socket)', async () => {
    const s = await setup()
    s.sendRaw('this is not json')
    s.sendRaw(Buffer.from([0x92, 0x01])) // truncated MessagePack
    s.send({ type: 'snapshot', symbol: '__proto__', seq: 1, data: { price: 1 } })
    s.send({ type: 'delta', symbol: 'A', seq: -1, data: { price: 1 } })
    s.send(s.snapshot('A'))
    await s.waitFor(() => rec.data.length === 1)
    expect(info().stats.invalid).toBe(4)
    expect(rec.errors.map((e) => [e.kind, e.code])).toEqual([
      ['invalid_frame', 'bad_json'],
      ['invalid_frame', 'bad_msgpack'],
      ['invalid_frame', 'bad_symbol'],
      ['invalid_frame', 'bad_seq'],
    ])
    expect(rec.errors.every((e) => e.connection === 'default')).toBe(true)
    expect(rec.data[0]).toMatchObject({ type: 'snapshot', symbol: 'A', seq: 0 })
    expect(info().status).toBe('open')
    expect(s.opened).toBe(1)
    expect(s.openNow).toBe(1)
  })

  test('a client MUST refuse a frame larger than maxMessageBytes before decoding it: text by string length, binary by byte length', async () => {
    const s = await setup({ maxMessageBytes: 100 })
    const valid = (pad: number) => JSON.stringify({ type: 'news', pad: 'x'.repeat(pad) })
    const base = valid(0).length
    s.sendRaw(valid(100 - base)) // exactly 100: accepted
    s.sendRaw(valid(101 - base)) // 101 characters of valid JSON: refused without being parsed
    const bin = (n: number) => {
      let pad = 0
      let frame = pack({ type: 'news', pad: '' })
      while (frame.byteLength < n) frame = pack({ type: 'news', pad: 'y'.repeat(++pad) })
      return frame
    }
    s.sendRaw(bin(101))
    s.sendRaw(Buffer.from(bin(90)))
    // Multi-byte characters: a text frame of 94 characters but 164 UTF-8 bytes is counted by characters.
    const wide = JSON.stringify({ type: 'news', pad: 'é'.repeat(70) })
    expect([wide.length, Buffer.byteLength(wide)]).toEqual([94, 164])
    s.sendRaw(wide)
    await s.waitFor(() => info().stats.messagesIn === 5)
    expect(rec.errors.map((e) => e.code)).toEqual(['too_large', 'too_large'])
    expect(info().stats.invalid).toBe(2)
    expect(rec.data.map((d) => d.type)).toEqual(['message', 'message', 'message'])
    expect(info().status).toBe('open')
  })

  test("a batch's messages are judged one by one: the invalid one counted and skipped, the rest applied in order", async () => {
    const s = await setup()
    s.send({
      type: 'batch',
      messages: [
        s.snapshot('A'),
        { type: 'batch', messages: [] },
        s.delta('A', { price: 101 }),
        { type: 'delta', symbol: 'A' },
      ],
    })
    await s.waitFor(() => info().stats.messagesIn === 1)
    expect(rec.data.map((d) => d.type)).toEqual(['snapshot', 'delta'])
    expect(rec.errors.map((e) => e.code)).toEqual(['nested_batch', 'bad_seq'])
    expect(info().stats.invalid).toBe(2)
  })

  test('a frame of an unknown type is handed on as a message, untouched', async () => {
    const s = await setup()
    s.send({ type: 'order', id: 'o-1', qty: 2 })
    await s.waitFor(() => rec.data.length === 1)
    expect(rec.data[0]).toEqual({ type: 'message', message: { type: 'order', id: 'o-1', qty: 2 } })
    expect(info().stats.invalid).toBe(0)
  })

  test('rate_limited holds every frame but ping for retryAfter seconds, then sends them in order', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ heartbeatIntervalMs: 200 })
    s.send({ type: 'error', code: 'rate_limited', message: 'slow down', retryAfter: 0.5 })
    await s.waitFor(() => info().stats.messagesIn === 1)
    c().send({ type: 'order', n: 1 })
    c().setWanted(['B'])
    c().send({ type: 'order', n: 2 })
    vi.advanceTimersByTime(200)
    await s.waitFor(() => ofType(s.last?.received ?? [], 'ping').length === 1)
    vi.advanceTimersByTime(299)
    await s.waitFor(() => ofType(s.last?.received ?? [], 'ping').length === 2)
    const others = () =>
      (s.last?.received ?? []).filter((f) => (f as { type: string }).type !== 'ping')
    expect(others()).toEqual([])
    vi.advanceTimersByTime(1)
    await s.waitFor(() => others().length === 3)
    expect(others()).toEqual([
      { type: 'order', n: 1 },
      { type: 'subscribe', id: 1, symbols: ['B'] },
      { type: 'order', n: 2 },
    ])
    // Not counted as a server error: it is flow control.
    expect(info().stats.errors).toBe(0)
  })

  test('frames held by rate_limited are bounded by maxQueue: the oldest dropped and counted in stats.dropped; wanted-set changes send one diff', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ maxQueue: 2 })
    s.send({ type: 'error', code: 'rate_limited', message: 'slow down', retryAfter: 0.5 })
    await s.waitFor(() => info().stats.messagesIn === 1)
    for (let n = 1; n <= 5; n++) c().send({ type: 'order', n })
    c().setWanted(['A'])
    c().setWanted(['A', 'B'])
    c().setWanted(['B'])
    expect(info().stats.dropped).toBe(3)
    vi.advanceTimersByTime(500)
    await s.waitFor(() => (s.last?.received.length ?? 0) === 3)
    await new Promise((r) => setImmediate(r))
    expect(s.last?.received).toEqual([
      { type: 'order', n: 4 },
      { type: 'order', n: 5 },
      { type: 'subscribe', id: 1, symbols: ['B'] },
    ])
  })

  test('rate_limited without retryAfter waits 5 s; a new socket ends the wait', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup()
    s.send({ type: 'error', code: 'rate_limited', message: 'slow down' })
    await s.waitFor(() => info().stats.messagesIn === 1)
    c().send({ type: 'order', n: 1 })
    vi.advanceTimersByTime(4_999)
    await new Promise((r) => setImmediate(r))
    expect(s.last?.received).toEqual([])
    s.dropAll()
    await s.waitFor(() => info().status === 'reconnecting')
    vi.advanceTimersByTime(1000)
    await s.waitFor(() => s.opened === 2 && (s.last?.received.length ?? 0) === 1)
    expect(s.last?.received).toEqual([{ type: 'order', n: 1 }])
  })

  test('error unauthorized acts as close 4401: the socket is replaced after backoff', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ getToken: () => 't' })
    s.send({ type: 'error', code: 'unauthorized', message: 'bad token' })
    await s.waitFor(() => info().status === 'reconnecting')
    expect(info().reason).toBe('server_close:4401')
    vi.advanceTimersByTime(1000)
    await s.waitFor(() => s.opened === 2 && info().status === 'open')
  })

  test('any other error code adds to stats.errors and emits server_error with code and message', async () => {
    const s = await setup()
    s.send({ type: 'error', code: 'bad_request', message: 'what?' })
    s.send({ type: 'error', code: 'internal', message: 'oops', symbols: ['A'] })
    await s.waitFor(() => rec.errors.length === 2)
    expect(rec.errors).toEqual([
      { connection: 'default', kind: 'server_error', code: 'bad_request', message: 'what?' },
      {
        connection: 'default',
        kind: 'server_error',
        code: 'internal',
        message: 'oops',
        symbols: ['A'],
      },
    ])
    expect(info().stats.errors).toBe(2)
    expect(info().status).toBe('open')
  })

  test('statistics: messages and bytes in and out, lastMessageAt, connectedAt', async () => {
    const s = await setup()
    c().send({ type: 'hello' })
    const snapshot = JSON.stringify(s.snapshot('A'))
    s.sendRaw(snapshot)
    await s.waitFor(() => info().stats.messagesIn === 1 && (s.last?.received.length ?? 0) === 1)
    expect(info().stats).toMatchObject({
      messagesIn: 1,
      bytesIn: snapshot.length,
      messagesOut: 1,
      bytesOut: JSON.stringify({ type: 'hello' }).length,
    })
    expect(info().stats.lastMessageAt).toBeGreaterThanOrEqual(info().stats.connectedAt ?? Infinity)
    expect(rec.infoChanges).toBeGreaterThan(0)
  })
})

describe('encodings (PROTOCOL.md section 1)', () => {
  test('msgpack offered first and picked: outbound frames are binary; inbound binary and text both decode', async () => {
    const s = await setup({ encoding: 'msgpack' })
    expect(s.last?.protocol).toBe('tickwire.v1.msgpack')
    c().setWanted(['A'])
    await s.waitFor(() => rec.data.length === 1)
    expect(typeof s.last?.raw[0]).not.toBe('string')
    expect(s.last?.received[0]).toEqual({ type: 'subscribe', id: 1, symbols: ['A'] })
    s.sendRaw(JSON.stringify(s.delta('A', { price: 2 })))
    await s.waitFor(() => rec.data.length === 2)
    expect(rec.data.map((d) => d.type)).toEqual(['snapshot', 'delta'])
  })

  test('a server that picks tickwire.v1.json over the offered msgpack gets JSON text frames', async () => {
    const s = await createTestServer({ pickProtocol: () => 'tickwire.v1.json' })
    server = s
    const o = openConnection(s.url, { encoding: 'msgpack' })
    conn = o.conn
    o.conn.setWanted(['A'])
    await s.waitFor(() => (s.last?.raw.length ?? 0) === 1)
    expect(s.last?.protocol).toBe('tickwire.v1.json')
    expect(typeof s.last?.raw[0]).toBe('string')
  })

  test('outbound frames are paced to the protocol maxFramesPerSecond, over a window of one second plus a margin', async () => {
    vi.useFakeTimers({ toFake: [...FAKE] })
    const s = await setup({ protocol: { ...tickwireProtocol(), maxFramesPerSecond: 2 } })
    for (let n = 1; n <= 5; n++) c().send({ type: 'order', n })
    await s.waitFor(() => (s.last?.received.length ?? 0) === 2)
    vi.advanceTimersByTime(999 + PACING_MARGIN_MS)
    await new Promise((r) => setImmediate(r))
    expect(s.last?.received).toHaveLength(2)
    vi.advanceTimersByTime(1)
    await s.waitFor(() => (s.last?.received.length ?? 0) === 4)
    vi.advanceTimersByTime(1000 + PACING_MARGIN_MS)
    await s.waitFor(() => (s.last?.received.length ?? 0) === 5)
    expect(s.last?.received.map((f) => (f as { n: number }).n)).toEqual([1, 2, 3, 4, 5])
  })
})
