/**
 * The channel messages an edge market (edgeMarket.ts) receives: each is checked (codec.ts),
 * its moves applied to the book, and the moves of one socket chunk handed to the node at once.
 */
import type { SymbolMove } from '../market'
import { decodeMoves } from './codec'
import type { EdgeBook } from './edgeBook'
import type { EdgeMarketHooks, EdgeRedisStats } from './edgeTypes'

/** Reads channel messages, see the module comment. */
export interface EdgeInbound {
  /** One channel message's text. */
  read(text: string): void
  /** Drops the moves not handed on yet: the node can no longer vouch for them. */
  forget(): void
}

/** Creates the reader of an edge market's channel messages; moves go to `publish`. */
export function createEdgeInbound(
  book: EdgeBook,
  stats: EdgeRedisStats,
  publish: EdgeMarketHooks['publish'],
): EdgeInbound {
  let outbox: SymbolMove[] = []
  let outboxQueued = false

  /**
   * Hands the hub every move of the channel messages read from one socket chunk at once:
   * with a channel per symbol, one market step arrives as many messages, and a client should
   * still get one frame per step (as from the embedded server), not one per symbol.
   */
  function sendOutbox(): void {
    outboxQueued = false
    if (outbox.length === 0) return
    const moves = outbox
    outbox = []
    publish(moves)
  }

  function read(text: string): void {
    stats.messages++
    const decoded = decodeMoves(text)
    if (!decoded.ok) {
      stats.malformed++
      stats.lastMalformed = decoded.reason
      return
    }
    for (const move of decoded.value) {
      const entry = book.get(move.symbol)
      if (!entry) {
        stats.unwanted++
        continue
      }
      if (entry.pending) {
        entry.pending.push(move)
        continue
      }
      if (book.apply(entry, move)) outbox.push(move)
    }
    if (outbox.length > 0 && !outboxQueued) {
      outboxQueued = true
      queueMicrotask(sendOutbox)
    }
  }

  return {
    read,
    forget() {
      outbox = []
    },
  }
}
