import type { ProtocolAdapter } from '../protocols/types'

/**
 * What one socket was told to stream, and the frames that bring it in step with a wanted set.
 * A new socket gets a new instance: ids start at 1 and nothing counts as subscribed
 * (PROTOCOL.md section 2).
 */
export interface SocketSubscriptions {
  /**
   * Subscribe and unsubscribe frames (at most `maxPerFrame` symbols each) for the difference:
   * what is subscribed and no longer wanted goes, what is held and not subscribed comes. A
   * symbol whose release is still waiting (wanted, not held) stays where it is subscribed and
   * is never subscribed afresh: a new socket carries only what is held.
   */
  diff(wanted: ReadonlySet<string>, held?: ReadonlySet<string>): unknown[]
  /** Forgets symbols as subscribed (the server refused them): a later want subscribes afresh. */
  forget(symbols: readonly string[]): void
  /** Marks symbols as streamed without any frame (SSE carries them in the URL). */
  assume(symbols: readonly string[]): void
}

/**
 * Creates the subscription state of one new socket.
 * @param maxPerFrame - most symbols per frame: the protocol's `maxSymbolsPerFrame`, never above
 *   100 (PROTOCOL.md section 2).
 */
export function socketSubscriptions(
  protocol: ProtocolAdapter,
  maxPerFrame: number,
): SocketSubscriptions {
  const subscribed = new Set<string>()
  let nextId = 1
  return {
    diff(wanted, held = wanted) {
      const frames: unknown[] = []
      const remove = [...subscribed].filter((s) => !wanted.has(s))
      const add = [...held].filter((s) => !subscribed.has(s))
      // Unsubscribes first, so a server with a per-connection symbol cap has room for the adds.
      for (const part of chunk(remove, maxPerFrame)) {
        frames.push(protocol.unsubscribe(part, nextId++))
        for (const s of part) subscribed.delete(s)
      }
      for (const part of chunk(add, maxPerFrame)) {
        frames.push(protocol.subscribe(part, nextId++))
        for (const s of part) subscribed.add(s)
      }
      return frames
    },
    forget(symbols) {
      for (const s of symbols) subscribed.delete(s)
    },
    assume(symbols) {
      for (const s of symbols) subscribed.add(s)
    },
  }
}

/** Splits `symbols` into chunks of at most `size` (PROTOCOL.md section 2: at most 100 per frame). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size))
  const out: T[][] = []
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n))
  return out
}
