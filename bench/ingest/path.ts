/**
 * The two things the ingest bench times on the same frames: the whole manager path
 * (decode -> validate -> merge -> throttle -> store write) and a bare loop that only decodes.
 */
import { unpack } from 'msgpackr/unpack-no-eval'
import { createStreamManager, tickwireProtocol, type StreamManager } from '../../src/core/index'
// Internal, read only: the connection's first stage (size check, decode, protocol validation),
// timed alone to split the whole path's cost into "decode + validate" and "the rest".
import { readFrame } from '../../src/core/connection/read-frame'
import { fakeWebSocket, ManualTimers, type FakeSocket, type FakeSocketControl } from './fakes'
import type { Encoding, Feed } from './frames'

/** The subprotocol the fake server "picks" for each encoding (PROTOCOL.md section 1). */
const SUBPROTOCOL: Record<Encoding, string> = {
  json: 'tickwire.v1.json',
  msgpack: 'tickwire.v1.msgpack',
}

/**
 * The baseline: what any client must do at least, decode every frame. It reads one field of
 * each result so the engine cannot drop the decode as dead code. It decodes with the same
 * functions the kit uses (JSON.parse; msgpackr's no-eval `unpack`), wrapping an ArrayBuffer
 * in a Uint8Array view as the kit's transport does.
 */
export function bareDecode(frames: readonly (string | ArrayBuffer)[], encoding: Encoding): number {
  let count = 0
  if (encoding === 'json') {
    for (const frame of frames) {
      const message = JSON.parse(frame as string) as { type: string; messages?: unknown[] }
      count += message.messages ? message.messages.length : 1
    }
  } else {
    for (const frame of frames) {
      const message = unpack(new Uint8Array(frame as ArrayBuffer)) as {
        type: string
        messages?: unknown[]
      }
      count += message.messages ? message.messages.length : 1
    }
  }
  return count
}

/**
 * The first stage of the kit alone: `readFrame` (size check, decode, protocol validation into
 * typed events) over the same frames, as the connection calls it, without the manager after it.
 */
export function decodeAndValidate(frames: readonly (string | ArrayBuffer)[]): number {
  const options = { maxMessageBytes: 1_048_576, protocol: tickwireProtocol() }
  let count = 0
  for (const frame of frames) {
    const events = readFrame(typeof frame === 'string' ? frame : new Uint8Array(frame), options)
    for (const event of events) if (event.type === 'delta') count += 1
  }
  return count
}

const gc = (globalThis as { gc?: () => void }).gc

/**
 * A full collection before each timed section (with --expose-gc), so that garbage left by
 * the previous section is not collected on the next one's clock: the three sections run
 * back to back and would otherwise pay for each other.
 */
export function collectGarbage(): void {
  gc?.()
}

export interface LiveManager {
  manager: StreamManager
  timers: ManualTimers
  socket: FakeSocket
  release: () => void
  /** Store writes (zustand setState calls) seen so far. */
  writes(): number
  destroy(): void
}

/**
 * A real manager on the fake socket and virtual clock, subscribed to `symbols` and open, with
 * the snapshots delivered and written: ready for deltas.
 */
export async function openManager(
  symbols: readonly string[],
  encoding: Encoding,
  snapshots: Iterable<string | ArrayBuffer>,
  throttleMs: number,
): Promise<LiveManager> {
  const control: FakeSocketControl = { current: null }
  const timers = new ManualTimers()
  const manager = createStreamManager({
    url: 'ws://bench.invalid/ws',
    WebSocket: fakeWebSocket(control),
    encoding,
    timers,
    throttleMs,
    // Far beyond any round, so the staleness sweep never runs inside a timed loop by accident.
    staleAfterMs: 3_600_000,
  })
  let writes = 0
  const unlisten = manager.store.subscribe(() => {
    writes += 1
  })
  const release = manager.subscribe(symbols)
  // The wanted set reaches the connection in a microtask (one subscribe batch per task).
  await Promise.resolve()
  await Promise.resolve()
  const socket = control.current
  if (!socket) throw new Error('the manager made no socket')
  socket.open(SUBPROTOCOL[encoding])
  for (const frame of snapshots) socket.deliver(frame)
  timers.frame()
  const held = Object.keys(manager.store.getState().prices).length
  if (held !== symbols.length)
    throw new Error(`expected ${symbols.length} symbols in the store after snapshots, got ${held}`)
  return {
    manager,
    timers,
    socket,
    release,
    writes: () => writes,
    destroy() {
      unlisten()
      release()
      manager.destroy()
    },
  }
}

export interface PathRound {
  ms: number
  storeWrites: number
  frameFlushes: number
}

/**
 * Delivers every frame of the feed to a fresh manager, running one animation frame every
 * `messagesPerFrame` messages, then frames until the last throttle window has been written.
 * Only the delivery and the flushes are timed; setup and the correctness check are not.
 */
export async function wholePath(
  feed: Feed,
  messagesPerFrame: number,
  throttleMs: number,
  symbols: readonly string[],
): Promise<PathRound> {
  const live = await openManager(symbols, feed.spec.encoding, feed.snapshots, throttleMs)
  const { socket, timers } = live
  const perFrame =
    feed.spec.framing === 'single'
      ? messagesPerFrame
      : Math.max(1, Math.round(messagesPerFrame / feed.spec.batchSize))
  const tailFrames = Math.ceil(throttleMs / timers.frameMs) + 2
  const writes0 = live.writes()
  const frames0 = timers.framesRun
  const frames = feed.frames
  collectGarbage()
  const t0 = performance.now()
  let k = 0
  for (let i = 0; i < frames.length; i++) {
    socket.deliver(frames[i] as string | ArrayBuffer)
    if (++k === perFrame) {
      k = 0
      timers.frame()
    }
  }
  for (let i = 0; i < tailFrames; i++) timers.frame()
  const ms = performance.now() - t0
  check(live, feed, symbols)
  const round = {
    ms,
    storeWrites: live.writes() - writes0,
    frameFlushes: timers.framesRun - frames0,
  }
  live.destroy()
  return round
}

/** The store must end with every delta applied: the last seq of each symbol, nothing invalid. */
function check(live: LiveManager, feed: Feed, symbols: readonly string[]): void {
  const stats = live.manager.getStats()
  if (stats.invalid !== 0) throw new Error(`${stats.invalid} frames were counted invalid`)
  const prices = live.manager.store.getState().prices
  const perSymbol = Math.floor(feed.deltas / symbols.length)
  const extra = feed.deltas % symbols.length
  for (const i of [0, symbols.length - 1]) {
    const symbol = symbols[i] as string
    const expected = perSymbol + (i < extra ? 1 : 0)
    const seq = prices[symbol]?.seq
    if (seq !== expected)
      throw new Error(`${symbol}: store seq ${String(seq)}, expected ${expected}`)
  }
}
