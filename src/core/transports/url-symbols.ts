import type { SocketSession } from '../connection/socket-session'
import type { TimerHandle, TimerProvider } from '../timers'

/**
 * How a connection keeps the server in step with its wanted set, chosen by the transport's
 * `capabilities.symbols`. The connection calls these and has no branch of its own on the
 * transport: `'frames'` transports send subscribe frames on the open socket, `'url'`
 * transports carry the symbols in the URL of each open and reopen for a changed set.
 */
export interface WantedDelivery {
  /** Whether a socket may open for this set (a URL with no symbol is refused by the server). */
  canOpen(symbols: ReadonlySet<string>): boolean
  /** A socket was made for `symbols` (the held set of the moment). */
  made(symbols: readonly string[]): void
  /** The wanted set changed: bring the server in step. */
  changed(wanted: ReadonlySet<string>, held: ReadonlySet<string>): void
  /** A socket opened; the set may have changed while it was opening. */
  opened(wanted: ReadonlySet<string>, held: ReadonlySet<string>): void
  /** A sequence gap: ask for fresh snapshots of these symbols. */
  resync(symbols: readonly string[], wanted: ReadonlySet<string>, held: ReadonlySet<string>): void
  /** The socket was dropped: cancel anything waiting for it. */
  cancel(): void
}

/** Symbols in frames (WebSocket): the open socket's session sends the difference. */
export function framesDelivery(session: () => SocketSession | null): WantedDelivery {
  return {
    canOpen: () => true,
    made() {},
    changed: () => session()?.syncWanted(),
    // The session's open sequence has sent the set as it is now.
    opened() {},
    resync: (symbols) => session()?.resync(symbols),
    cancel() {},
  }
}

/** What {@link urlDelivery} needs. */
export interface UrlDeliveryOptions {
  timers: TimerProvider
  /** Quiet time before a reopen (`DEFAULTS.sseReopenDelayMs`, 250 ms, PROTOCOL.md section 6). */
  delayMs: number
  /** Whether a socket is made or open now. */
  hasSocket(): boolean
  /** Opens a new socket for the held set of the moment. */
  reopen(): void
}

/**
 * Symbols in the URL (SSE): a different set needs a new stream. Changes are debounced (a page
 * that mounts rows over a few tasks reopens once); a stream that carries every held symbol
 * and nothing unwanted is kept, so a symbol whose release is still waiting is neither added
 * to a new stream nor a reason to reopen. SSE has no resync frame: a reopened stream starts
 * with a snapshot per symbol.
 */
export function urlDelivery(options: UrlDeliveryOptions): WantedDelivery {
  const { timers, delayMs } = options
  let streamSymbols: readonly string[] = []
  /** A gap to mend: the stream must be replaced even when its symbols are right. */
  let mend = false
  let timer: TimerHandle | undefined

  const cancel = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
  }

  function check(wanted: ReadonlySet<string>, held: ReadonlySet<string>): void {
    cancel()
    if (!options.hasSocket()) return
    const carried = new Set(streamSymbols)
    const inStep =
      !mend && [...held].every((s) => carried.has(s)) && streamSymbols.every((s) => wanted.has(s))
    if (inStep) return
    timer = timers.setTimeout(() => {
      timer = undefined
      options.reopen()
    }, delayMs)
  }

  return {
    canOpen: (symbols) => symbols.size > 0,
    made(symbols) {
      streamSymbols = [...symbols]
      mend = false
    },
    changed: check,
    opened: check,
    resync(_symbols, wanted, held) {
      mend = true
      check(wanted, held)
    },
    cancel,
  }
}
