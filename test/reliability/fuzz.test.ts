/**
 * Property-based fuzzing of the inbound path (issue 8, "Fuzzing"): hostile frames through a
 * real manager, connection and WebSocket transport. The in-process run delivers frames by
 * calling the socket's `onmessage` as a browser does (ten thousand cases in seconds); the
 * loopback run sends them over a real `ws` socket to prove the same on the wire.
 *
 * Expected counts come from test/reliability/support/specOracle.ts, an independent reading of
 * PROTOCOL.md section 1, never from src/.
 */
import fc from 'fast-check'
import { unpack as unpackNoEval } from 'msgpackr/unpack-no-eval'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocketConstructor } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import type { PriceTick, StreamErrorEvent } from '../../src/core/types'
import { leakTimers, type LeakTimers } from '../helpers/leakTimers'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { fakeWebSocket, type FakeSocket } from './support/fakeSocket'
import { errorFrameArb, frameArb, GUARDS, TARGETS, type WireFrame } from './support/frames'
import { expectedInvalid } from './support/specOracle'

const MAX_BYTES = 32 * 1024
/** Issue 8: at least 10,000 cases in CI. Overridable for a longer local soak. */
const CASES = Number(process.env.TICKWIRE_FUZZ_CASES ?? 10_000)
const WIRE_CASES = Number(process.env.TICKWIRE_FUZZ_WIRE_CASES ?? 300)

/** Every own property of the built-in prototypes, with its descriptor, to detect pollution. */
function prototypeFingerprint(): Map<string, PropertyDescriptor | undefined> {
  const out = new Map<string, PropertyDescriptor | undefined>()
  const targets: [string, object][] = [
    ['Object', Object.prototype],
    ['Array', Array.prototype],
    ['Function', Function.prototype],
    ['String', String.prototype],
  ]
  for (const [name, proto] of targets) {
    for (const key of Reflect.ownKeys(proto))
      out.set(`${name}.${String(key)}`, Object.getOwnPropertyDescriptor(proto, key))
    out.set(`${name}.[[Prototype]]`, { value: Object.getPrototypeOf(proto) as unknown })
  }
  return out
}

/**
 * Throws when a built-in prototype gained, lost or changed a property. Plain comparisons, with
 * `expect` only on a mismatch: this runs once per case and must stay cheap.
 */
function expectPrototypesUntouched(before: Map<string, PropertyDescriptor | undefined>): void {
  const after = prototypeFingerprint()
  let same = after.size === before.size
  for (const [key, descriptor] of before) {
    const now = after.get(key)
    if (
      now?.value !== descriptor?.value ||
      now?.get !== descriptor?.get ||
      now?.set !== descriptor?.set
    )
      same = false
  }
  if (!same) expect([...after.entries()]).toEqual([...before.entries()])
  // The classic pollution probes, on a fresh object.
  const probe: Record<string, unknown> = {}
  if (probe.polluted !== undefined || probe.price !== undefined) expect(probe).toEqual({})
}

/** The cheap per-case check: no key added to Object.prototype, and the usual probes clean. */
function expectObjectPrototypeUntouched(keys: number): void {
  const probe: Record<string, unknown> = {}
  if (
    Reflect.ownKeys(Object.prototype).length !== keys ||
    probe.polluted !== undefined ||
    probe.price !== undefined ||
    probe.toString !== Object.prototype.toString
  ) {
    expect(Reflect.ownKeys(Object.prototype).map(String)).toHaveLength(keys)
    expect(probe).toEqual({})
  }
}

/** What the browser hands `onmessage`: a string, or an ArrayBuffer for binary frames. */
function asDelivered(frame: WireFrame): string | ArrayBuffer {
  if (typeof frame === 'string') return frame
  const copy = new Uint8Array(frame.byteLength)
  copy.set(frame)
  return copy.buffer
}

/** Checks every tick in the store is well formed and keyed by its own symbol. */
function expectStoreSane(manager: StreamManager): void {
  const { prices } = manager.store.getState()
  const allowed = new Set<string>([...GUARDS, ...TARGETS])
  const problems: string[] = []
  if (Object.getPrototypeOf(prices) !== Object.prototype) problems.push('prices lost its prototype')
  for (const key of Object.keys(prices)) {
    const tick = prices[key] as PriceTick
    if (!allowed.has(key)) problems.push(`unexpected store key ${JSON.stringify(key)}`)
    if (tick.symbol !== key) problems.push(`${key}: tick.symbol is ${String(tick.symbol)}`)
    if (!Number.isFinite(tick.price)) problems.push(`${key}: price ${String(tick.price)}`)
    if (Object.getPrototypeOf(tick.data) !== null) problems.push(`${key}: data has a prototype`)
    if (Object.getPrototypeOf(tick) !== Object.prototype)
      problems.push(`${key}: tick prototype changed`)
  }
  for (const key of ['__proto__', 'constructor', 'prototype'])
    if (Object.hasOwn(prices, key)) problems.push(`own ${key}`)
  expect(problems).toEqual([])
}

describe('fuzzing the inbound path through a real manager (in-process socket)', () => {
  let manager: StreamManager
  let timers: LeakTimers
  let socket: FakeSocket
  const errors: StreamErrorEvent[] = []
  const fingerprint = prototypeFingerprint()

  beforeAll(() => {
    const fake = fakeWebSocket()
    timers = leakTimers({ manualFrames: true })
    manager = createStreamManager({
      url: 'ws://fuzz.invalid/ws',
      WebSocket: fake.WebSocket,
      timers,
      throttleMs: 0,
      maxMessageBytes: MAX_BYTES,
    })
    manager.on('error', (e) => errors.push(e))
    manager.subscribe([...GUARDS, ...TARGETS])
    socket = fake.sockets[0] as FakeSocket
    socket.open()
  })

  afterAll(() => {
    manager.destroy()
    // Destroy must leave none of the core's timers behind, even after this much abuse.
    expect(timers.pending()).toBe(0)
  })

  it(`${CASES} random and mutated frames: nothing throws, prototypes and guard symbols untouched, every rejection counted, a valid frame after garbage applies`, async () => {
    // Let the wanted-set flush (a microtask) send the subscribe, then seed the guards.
    await Promise.resolve()
    for (const [i, symbol] of GUARDS.entries()) {
      socket.deliver(
        JSON.stringify({
          type: 'snapshot',
          symbol,
          seq: 7,
          data: { price: 100 + i, note: 'guard' },
        }),
      )
    }
    timers.flushFrames()
    const guardTicks = GUARDS.map((s) => manager.store.getState().prices[s])
    expect(guardTicks.every((t) => t !== undefined)).toBe(true)

    const objectKeys = Reflect.ownKeys(Object.prototype).length
    let caseNo = 0
    let framesSent = 0
    let invalidSeen = 0
    fc.assert(
      fc.property(
        fc.array(frameArb(MAX_BYTES), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...TARGETS),
        (frames, target) => {
          caseNo += 1
          const invalidBefore = manager.getStats().invalid
          const errorsBefore = errors.filter((e) => e.kind === 'invalid_frame').length
          let expected = 0
          for (const frame of frames) {
            // The oracle decodes first: MessagePack record definitions then apply the same way twice.
            expected += expectedInvalid(frame, MAX_BYTES)
            socket.deliver(asDelivered(frame)) // throws into this property if the client does
          }
          framesSent += frames.length
          timers.flushFrames()
          const invalid = manager.getStats().invalid - invalidBefore
          invalidSeen += invalid
          expect(invalid).toBe(expected)
          expect(errors.filter((e) => e.kind === 'invalid_frame').length - errorsBefore).toBe(
            expected,
          )

          // A valid snapshot and its next delta after the garbage are applied.
          const seq = 1_000_000 + caseNo * 2
          socket.deliver(
            JSON.stringify({ type: 'snapshot', symbol: target, seq, data: { price: caseNo } }),
          )
          socket.deliver(
            JSON.stringify({
              type: 'delta',
              symbol: target,
              seq: seq + 1,
              data: { price: caseNo + 0.5 },
            }),
          )
          timers.flushFrames()
          const tick = manager.store.getState().prices[target]
          expect(tick?.price).toBe(caseNo + 0.5)
          expect(tick?.seq).toBe(seq + 1)

          const state = manager.store.getState()
          GUARDS.forEach((symbol, i) => expect(state.prices[symbol]).toBe(guardTicks[i]))
          expectStoreSane(manager)
          // Object.prototype every case (the usual target); all four prototypes every 100 cases
          // and at the end, since the full fingerprint costs more than the case itself.
          if (caseNo % 100 === 0) expectPrototypesUntouched(fingerprint)
          else expectObjectPrototypeUntouched(objectKeys)
          // Garbage never costs the connection: still the first socket, still open.
          expect(state.connections.default?.status).toBe('open')
        },
      ),
      { numRuns: CASES },
    )
    expect(caseNo).toBeGreaterThanOrEqual(CASES)
    expectPrototypesUntouched(fingerprint)
    // The figures of the run, as docs/RELIABILITY.md reports them.
    console.info(
      `[fuzz in-process] cases=${caseNo} frames=${framesSent} invalid=${invalidSeen} stats.invalid=${manager.getStats().invalid}`,
    )
    expect(invalidSeen).toBeGreaterThan(CASES / 2) // the generator does reach the rejecting paths
  }, 120_000)
})

describe('fuzzing server error messages (in-process socket)', () => {
  const ERROR_CASES = Number(process.env.TICKWIRE_FUZZ_ERROR_CASES ?? 2_000)

  it(`${ERROR_CASES} error frames: nothing throws, symbolErrors only ever names wanted symbols, counts add up, and a new want after release clears every error`, async () => {
    const fake = fakeWebSocket()
    const timers = leakTimers({ manualFrames: true })
    const manager = createStreamManager({
      url: 'ws://errors.invalid/ws',
      WebSocket: fake.WebSocket,
      timers,
      throttleMs: 0,
      unsubscribeDelayMs: 0,
    })
    const fingerprint = prototypeFingerprint()
    let release = manager.subscribe([...TARGETS])
    const socket = fake.sockets[0] as FakeSocket
    socket.open()
    await Promise.resolve()
    let n = 0
    let errorsSet = 0
    await fc.assert(
      fc.asyncProperty(fc.array(errorFrameArb, { minLength: 1, maxLength: 4 }), async (frames) => {
        n += 1
        const before = manager.getStats()
        let expectedInvalid = 0
        for (const frame of frames) {
          expectedInvalid += expectedErrorInvalid(frame)
          socket.deliver(asDelivered(frame))
        }
        timers.flushFrames()
        const after = manager.getStats()
        expect(after.invalid - before.invalid).toBe(expectedInvalid)
        const { symbolErrors, connections } = manager.store.getState()
        const named = Object.keys(symbolErrors)
        errorsSet += named.length
        for (const symbol of named)
          expect((TARGETS as readonly string[]).includes(symbol), symbol).toBe(true)
        expect(Object.getPrototypeOf(symbolErrors)).toBe(Object.prototype)
        expect(connections.default?.status).toBe('open')
        expect(fake.sockets).toHaveLength(1)

        // Release everything, want it again: PROTOCOL.md 3.6 says the new want clears the errors
        // and subscribes afresh, so a snapshot for each target applies again.
        release()
        await Promise.resolve()
        release = manager.subscribe([...TARGETS])
        await Promise.resolve()
        await Promise.resolve()
        for (const symbol of TARGETS)
          socket.deliver(JSON.stringify({ type: 'snapshot', symbol, seq: n, data: { price: n } }))
        timers.flushFrames()
        const state = manager.store.getState()
        expect(Object.keys(state.symbolErrors)).toEqual([])
        for (const symbol of TARGETS) expect(state.prices[symbol]?.price, symbol).toBe(n)
      }),
      { numRuns: ERROR_CASES },
    )
    expectPrototypesUntouched(fingerprint)
    console.info(
      `[fuzz errors] cases=${n} invalid=${manager.getStats().invalid} server-errors=${manager.getStats().errors} symbol-errors-seen=${errorsSet}`,
    )
    expect(errorsSet).toBeGreaterThan(0) // unknown_symbol for a wanted symbol was reached
    manager.destroy()
    expect(timers.pending()).toBe(0)
  }, 60_000)
})

/**
 * PROTOCOL.md 3.6 with section 1: an `error` is invalid when its code is not a non-empty
 * string, `symbols` is present but not an array, `retryAfter` is present but not a
 * non-negative finite number, or `ts` is present but not finite. Size and decoding as before.
 */
function expectedErrorInvalid(frame: WireFrame): number {
  let m: unknown
  try {
    m = typeof frame === 'string' ? JSON.parse(frame) : unpackNoEval(frame)
  } catch {
    return 1
  }
  const o = m as Record<string, unknown>
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)
  if (typeof o.code !== 'string' || o.code.length === 0) return 1
  if (has('symbols') && !Array.isArray(o.symbols)) return 1
  if (
    has('retryAfter') &&
    !(typeof o.retryAfter === 'number' && Number.isFinite(o.retryAfter) && o.retryAfter >= 0)
  )
    return 1
  if (has('ts') && !(typeof o.ts === 'number' && Number.isFinite(o.ts))) return 1
  return 0
}

describe('fuzzing over a real loopback socket', () => {
  let server: TestServer
  let manager: StreamManager
  const messages: unknown[] = []

  beforeAll(async () => {
    server = await createTestServer({ autoSnapshot: true })
    manager = createStreamManager({
      url: server.url,
      WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
      throttleMs: 0,
      maxMessageBytes: MAX_BYTES,
    })
    manager.on('message', (e) => messages.push(e.message))
    manager.subscribe([...GUARDS, ...TARGETS])
    await server.waitFor(
      () => server.received.some((m) => (m as { type?: string }).type === 'subscribe'),
      5_000,
    )
  })

  afterEach(() => {
    expect(server.openNow).toBe(1)
  })

  afterAll(async () => {
    manager.destroy()
    await server.close()
  })

  it(`${WIRE_CASES} cases of text and binary garbage on a JSON socket: counted, never fatal, a valid frame still applies`, async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(frameArb(MAX_BYTES), { minLength: 1, maxLength: 4 }),
        async (frames) => {
          n += 1
          const before = manager.getStats().invalid
          let expected = 0
          for (const frame of frames) {
            // What arrives: `ws` sends strings as UTF-8, so lone surrogates become U+FFFD.
            const arriving =
              typeof frame === 'string' ? Buffer.from(frame, 'utf8').toString('utf8') : frame
            expected += expectedInvalid(arriving, MAX_BYTES)
            server.sendRaw(typeof frame === 'string' ? frame : Buffer.from(frame))
          }
          const seq = 5_000_000 + n
          server.send({ type: 'snapshot', symbol: 'TARGET', seq, data: { price: n } })
          // An application message as a sentinel: once it is out, every frame before it was read.
          server.send({ type: 'fuzz-sentinel', n })
          await server.waitFor(() => messages.some((m) => (m as { n?: number }).n === n), 5_000)
          expect(manager.getStats().invalid - before).toBe(expected)
          await server.waitFor(() => manager.store.getState().prices.TARGET?.seq === seq, 2_000)
          expect(manager.store.getState().connections.default?.status).toBe('open')
        },
      ),
      { numRuns: WIRE_CASES },
    )
    console.info(
      `[fuzz loopback] cases=${n} frames-in=${manager.getStats().messagesIn} invalid=${manager.getStats().invalid}`,
    )
    expect(server.opened).toBe(1)
  }, 60_000)
})
