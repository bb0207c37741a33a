/**
 * One frame in flight per tab. The host posts a tab a frame only once the tab has applied the
 * previous one (it acks after its store write, ./proxy-frames.ts); what changes meanwhile is
 * merged into one held diff, later values over earlier ones per entry, so a slow tab (a busy
 * main thread, a background tab whose animation frames are paused) gets one message with the
 * latest values when it is ready, not a queue of stale frames it must work through.
 */
import type { StreamDiff } from '../index'

/** A tab's gate, kept by the host per tab. */
export interface FrameGate {
  /** A frame was posted and not yet acked. */
  inFlight: boolean
  /** What changed since, merged; `null` when nothing waits. */
  held: StreamDiff | null
}

/** An open gate: the next frame goes out at once. */
export function openGate(): FrameGate {
  return { inFlight: false, held: null }
}

/** Writes `diff`'s entries over `into`'s (later values win; a `null` removal is a value too). */
export function mergeDiff(into: StreamDiff, diff: StreamDiff): StreamDiff {
  Object.assign(into.prices, diff.prices)
  Object.assign(into.connections, diff.connections)
  Object.assign(into.symbolErrors, diff.symbolErrors)
  return into
}

/** A copy of `diff` that can be merged into without touching the diff other tabs get. */
function ownCopy(diff: StreamDiff): StreamDiff {
  const empty: StreamDiff = {
    prices: Object.create(null) as StreamDiff['prices'],
    connections: Object.create(null) as StreamDiff['connections'],
    symbolErrors: Object.create(null) as StreamDiff['symbolErrors'],
  }
  return mergeDiff(empty, diff)
}

/** The diff to post now (the gate closes behind it), or `null` when it is held for later. */
export function pass(gate: FrameGate, diff: StreamDiff): StreamDiff | null {
  if (!gate.inFlight) {
    gate.inFlight = true
    return diff
  }
  gate.held = gate.held ? mergeDiff(gate.held, diff) : ownCopy(diff)
  return null
}

/** The tab applied its frame: the gate opens and returns what was held, if anything. */
export function ack(gate: FrameGate): StreamDiff | null {
  gate.inFlight = false
  const held = gate.held
  gate.held = null
  return held
}
