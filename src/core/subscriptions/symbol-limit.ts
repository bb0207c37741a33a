/** A wanted set cut to a connection's limit: what may be sent, and what may not. */
export interface CappedWanted {
  kept: Set<string>
  /** Symbols beyond the limit, in the order they were given. */
  over: string[]
}

/**
 * Caps a wanted set at the protocol's `maxSymbolsPerConnection` (Binance: 1024 streams), so
 * the server is never asked for more than it holds. Symbols in `previous` (the set kept last
 * time) keep their place, so a new want never pushes out a symbol that already streams; the
 * others are taken in the order given. Duplicates count once. A limit that is absent, not
 * finite or not positive means no limit.
 */
export function capWanted(
  next: readonly string[],
  previous: ReadonlySet<string>,
  max: number | undefined,
): CappedWanted {
  const unique = [...new Set(next)]
  const limit = max !== undefined && Number.isFinite(max) && max > 0 ? Math.floor(max) : Infinity
  if (unique.length <= limit) return { kept: new Set(unique), over: [] }
  const kept = new Set<string>()
  for (const symbol of unique) if (kept.size < limit && previous.has(symbol)) kept.add(symbol)
  const over: string[] = []
  for (const symbol of unique) {
    if (kept.has(symbol)) continue
    if (kept.size < limit) kept.add(symbol)
    else over.push(symbol)
  }
  return { kept, over }
}

/** What {@link createSymbolLimit} needs. */
export interface SymbolLimitOptions {
  /** The protocol's `maxSymbolsPerConnection`; absent means no limit. */
  max: number | undefined
  /** The protocol's name, for the message. */
  protocolName: string
  /** Told the symbols over the limit, once the call that wanted them has returned. */
  report(symbols: string[], message: string): void
}

/** A connection's cap on its wanted set, and the report of what it leaves out. */
export interface SymbolLimit {
  /** The set to send: `next` cut to the limit (see {@link capWanted}); what is over is reported. */
  apply(next: readonly string[], previous: ReadonlySet<string>): Set<string>
  /** No report after this (the connection is destroyed). */
  stop(): void
}

/**
 * Creates the cap of one connection. Symbols over it are reported after the current call
 * returns: the manager answers a report by marking them failed and setting the wanted set
 * again, which must not happen in the middle of its own call to `setWanted`. Only what is
 * still over the limit by then is reported.
 */
export function createSymbolLimit(options: SymbolLimitOptions): SymbolLimit {
  let over: string[] = []
  let queued = false
  let stopped = false
  return {
    apply(next, previous) {
      const capped = capWanted(next, previous, options.max)
      over = capped.over
      if (over.length > 0 && !queued && !stopped) {
        queued = true
        queueMicrotask(() => {
          queued = false
          const symbols = over
          over = []
          if (stopped || symbols.length === 0) return
          options.report(
            symbols,
            `the ${options.protocolName} protocol allows at most ${options.max ?? 0} symbols per connection; not subscribed`,
          )
        })
      }
      return capped.kept
    },
    stop() {
      stopped = true
    },
  }
}
