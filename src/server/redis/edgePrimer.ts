/**
 * Priming of an edge market's symbols (edgeMarket.ts): a symbol gets a value the node can
 * vouch for only after its channel is subscribed and then its latest snapshot read, so no
 * move published in between is missed. Requests made in one turn of the event loop are read
 * in one batch.
 */
import type { Redis } from 'ioredis'
import type { EdgeBook } from './edgeBook'
import type { EdgeChannels } from './edgeChannels'
import type { EdgeMarketHooks } from './edgeTypes'

/** Primes symbols of an edge market, see the module comment. */
export interface EdgePrimer {
  /** Primes a wanted symbol soon, unless it primes already or the node is down. */
  primeSoon(symbol: string): void
  /** Forgets the symbols waiting for the next batch (the connection dropped). */
  forget(): void
}

/** What a primer works with: the book, the channels, and Redis' `latest` hash. */
export interface EdgePrimerParts {
  book: EdgeBook
  channels: EdgeChannels
  cmd: Redis
  latestKey: string
  refresh: EdgeMarketHooks['refresh']
}

/** Creates a primer; symbols it has primed are handed to `refresh`. */
export function createEdgePrimer({
  book,
  channels,
  cmd,
  latestKey,
  refresh,
}: EdgePrimerParts): EdgePrimer {
  const toPrime = new Set<string>()
  let flushing = false

  function primeSoon(symbol: string): void {
    if (!book.startPriming(symbol)) return
    toPrime.add(symbol)
    if (!flushing) {
      flushing = true
      setImmediate(() => void flush())
    }
  }

  /**
   * Subscribes the channels of `batch`, then reads their latest snapshots. Again when the
   * layout changed meanwhile: moves published on the new layout before its channels were
   * subscribed never reached the node, and the snapshot may predate them.
   */
  async function readCovered(batch: string[]): Promise<Array<string | null>> {
    for (;;) {
      await channels.cover(batch)
      const layout = channels.layout()
      const values = await cmd.hmget(latestKey, ...batch)
      if (layout === channels.layout()) return values
    }
  }

  /** Primes the symbols asked for since the last batch. */
  async function flush(): Promise<void> {
    const batch = [...toPrime]
    toPrime.clear()
    flushing = false
    if (batch.length === 0) return
    try {
      const values = await readCovered(batch)
      const fresh = batch.filter((symbol, i) => book.settle(symbol, values[i]))
      if (fresh.length > 0) refresh(fresh)
    } catch {
      // Usually a connection dropped mid-way ('close' clears the state and 'ready' primes
      // again); otherwise try these symbols once more shortly.
      book.abandon(batch)
      setTimeout(() => batch.forEach(primeSoon), 200)
    }
  }

  return {
    primeSoon,
    forget: () => toPrime.clear(),
  }
}
