/**
 * The store writes of the worker engine's proxy manager (client.ts): the diffs the host sent
 * since this thread's last animation frame, merged, then written to the store in one write.
 */
import type { StoreApi } from 'zustand/vanilla'
import { applyDiff, defaultTimers, type StreamDiff, type StreamState } from '../index'

/** Receives the host's diffs and writes them at this thread's next animation frame. */
export interface FrameWriter {
  receive(diff: StreamDiff): void
  /** Drops what waits (at `destroy()`). */
  cancel(): void
}

/** Creates the frame writer of `store`; `live()` false stops writes (a destroyed manager). */
export function createFrameWriter(store: StoreApi<StreamState>, live: () => boolean): FrameWriter {
  /** Diffs received since this thread's last frame, merged: one store write per frame. */
  let incoming: StreamDiff | null = null
  let frame: unknown = null

  function writeFrame(): void {
    frame = null
    const diff = incoming
    incoming = null
    if (diff && live()) applyDiff(store, diff)
  }

  return {
    /**
     * The worker's frame clock and this thread's are not in step, so two diffs can arrive
     * within one of this thread's frames: they are merged (later values win, per entry) and
     * written at this thread's next animation frame, never twice in one.
     */
    receive(diff) {
      if (!incoming) incoming = diff
      else {
        Object.assign(incoming.prices, diff.prices)
        Object.assign(incoming.connections, diff.connections)
        Object.assign(incoming.symbolErrors, diff.symbolErrors)
      }
      frame ??= defaultTimers.requestFrame(writeFrame)
    },
    cancel() {
      if (frame !== null) defaultTimers.cancelFrame(frame)
      frame = null
      incoming = null
    },
  }
}
