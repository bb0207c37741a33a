/**
 * The one animation-frame loop that ends every price flash on the page.
 *
 * A flash holds its tint for `flashMs` and ends in one step. Ending each flash with its own
 * `setTimeout` costs a timer per changed cell and, for a hook, a React commit per timer; with
 * hundreds of cells changing several times a second that is thousands of timers and commits a
 * second, each landing at an arbitrary point of a frame. Instead every flash in progress sits
 * in one set, and a single `requestAnimationFrame` callback ends all whose deadline has passed,
 * at the first frame at or after the deadline: their DOM writes (or their state updates, which
 * React batches because they happen in one task) go into that frame's one style and paint pass.
 *
 * The loop runs only while a flash is in progress: the first `holdFlash` asks for a frame, and
 * the frame asks for the next only while the set is not empty. Importing this module starts
 * nothing.
 */

/** A flash in progress, as the sweep sees it. The owner may move `deadline` while it is held. */
export interface FlashEntry {
  /** When the flash ends, on the `performance.now()` clock (the clock of animation frames). */
  deadline: number
  /** Ends the flash. Called once per hold, in the first animation frame at or after `deadline`. */
  end(): void
}

const held = new Set<FlashEntry>()
/** The pending frame request, or null while the loop is stopped. */
let pending: { cancel: () => void } | null = null

/**
 * Ends `entry` at the first animation frame at or after `entry.deadline`. Holding an entry
 * that is already held keeps one hold; moving its deadline later extends the flash.
 */
export function holdFlash(entry: FlashEntry): void {
  held.add(entry)
  if (pending === null) pending = requestFrame(sweep)
}

/** Forgets `entry` without ending it (its owner unmounted); stops the loop when none is left. */
export function releaseFlash(entry: FlashEntry): void {
  held.delete(entry)
  if (held.size === 0 && pending !== null) {
    pending.cancel()
    pending = null
  }
}

let clock = -1

/**
 * `performance.now()`, read once per task: every flash started in one commit (one task) gets
 * the same start time, so flashes that began together end in the same frame, and a commit of
 * 500 changed cells reads the clock once.
 */
export function flashClock(): number {
  if (clock < 0) {
    clock = performance.now()
    queueMicrotask(() => {
      clock = -1
    })
  }
  return clock
}

/** How many flashes are held; for tests of the sweep itself. */
export function heldFlashCount(): number {
  return held.size
}

function sweep(now: number): void {
  pending = null
  try {
    for (const entry of held) {
      if (entry.deadline > now) continue
      // Deleting the current element of a Set while iterating it is safe, and an entry that
      // end() holds again is seen by a later frame, not skipped or ended twice here.
      held.delete(entry)
      entry.end()
    }
  } finally {
    // Even if one end() threw, the others still end on a later frame.
    if (held.size > 0 && pending === null) pending = requestFrame(sweep)
  }
}

/**
 * One animation frame, read from the global at call time (so fake timers in tests see it);
 * where there is none (a worker without rAF), a 16 ms timer stands in for it.
 */
function requestFrame(callback: (now: number) => void): { cancel: () => void } {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(callback)
    return { cancel: () => cancelAnimationFrame(id) }
  }
  const id = setTimeout(() => callback(performance.now()), 16)
  return { cancel: () => clearTimeout(id) }
}
