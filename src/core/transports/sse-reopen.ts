import type { TimerHandle, TimerProvider } from '../timers'

/** What {@link createSseReopen} needs. */
export interface SseReopenOptions {
  timers: TimerProvider
  /** Quiet time before a reopen (`DEFAULTS.sseReopenDelayMs`, 250 ms, PROTOCOL.md section 6). */
  delayMs: number
  /** Opens a new stream for the wanted set of the moment. */
  reopen(): void
}

/**
 * The SSE side of a wanted-set change. An event stream carries its symbols in its URL, so a
 * different set needs a new stream: changes are debounced (a page that mounts rows over a few
 * tasks reopens once), and a set equal to the stream's own reopens nothing.
 */
export interface SseReopen {
  /** A stream was just made for `symbols`. */
  streamMade(symbols: readonly string[]): void
  /** Forgets the stream's list, so the next `check` reopens even for the same set (a gap to mend). */
  invalidate(): void
  /**
   * Reopens after `delayMs` of quiet when `wanted` differs from the stream's list; a reopen
   * already waiting starts its wait again, or is cancelled when the sets are equal again.
   */
  check(wanted: ReadonlySet<string>): void
  /** Cancels a waiting reopen (the stream was dropped or replaced). */
  cancel(): void
}

/** Creates the reopen logic of one SSE connection. */
export function createSseReopen(options: SseReopenOptions): SseReopen {
  const { timers, delayMs, reopen } = options
  let streamSymbols: readonly string[] = []
  let timer: TimerHandle | undefined

  const cancel = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
  }

  return {
    streamMade(symbols) {
      streamSymbols = [...symbols]
    },
    invalidate() {
      streamSymbols = []
    },
    check(wanted) {
      cancel()
      const same = streamSymbols.length === wanted.size && streamSymbols.every((s) => wanted.has(s))
      if (same) return
      timer = timers.setTimeout(() => {
        timer = undefined
        reopen()
      }, delayMs)
    },
    cancel,
  }
}
