/**
 * The store writes of the worker engine's proxy manager (client.ts): the diffs the host sent
 * since this thread's last animation frame, merged, then written to the store in one write,
 * after which the host is told (`ack`), so it posts the next frame (./frame-gate.ts).
 */
import type { StoreApi } from 'zustand/vanilla'
import { mergeDiff } from './frame-gate'
import type { StreamState } from '../index'
import { applyDiff, type StreamDiff } from '../prices/diff'
import { defaultTimers } from '../timers'

/** Receives the host's diffs and writes them at this thread's next animation frame. */
export interface FrameWriter {
  receive(diff: StreamDiff): void
  /** Drops what waits (at `destroy()`). */
  cancel(): void
}

/**
 * Creates the frame writer of `store`; `live()` false stops writes (a destroyed manager),
 * `written()` runs after each store write.
 */
export function createFrameWriter(
  store: StoreApi<StreamState>,
  live: () => boolean,
  written: () => void,
): FrameWriter {
  /** Diffs received since this thread's last frame, merged: one store write per frame. */
  let incoming: StreamDiff | null = null
  let frame: unknown = null

  function writeFrame(): void {
    frame = null
    const diff = incoming
    incoming = null
    if (!diff || !live()) return
    applyDiff(store, diff)
    written()
  }

  return {
    /**
     * The worker's frame clock and this thread's are not in step, so two diffs can arrive
     * within one of this thread's frames: they are merged (later values win, per entry) and
     * written at this thread's next animation frame, never twice in one.
     */
    receive(diff) {
      incoming = incoming ? mergeDiff(incoming, diff) : diff
      frame ??= defaultTimers.requestFrame(writeFrame)
    },
    cancel() {
      if (frame !== null) defaultTimers.cancelFrame(frame)
      frame = null
      incoming = null
    },
  }
}
