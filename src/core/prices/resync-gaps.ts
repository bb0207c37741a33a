import type { SymbolState } from './symbol-state'

/**
 * The symbols waiting for the snapshot a `resync` asked for (a gap in their seq), kept apart
 * so the retry check does not scan every symbol (PROTOCOL.md 3.3).
 */
export interface ResyncGaps {
  /** A gap was seen: `'resync'` the first time, `'ignored'` while one is already open. */
  open(state: SymbolState, receivedAt: number): 'resync' | 'ignored'
  /** The gap ended (a snapshot came, or the symbol left). */
  close(state: SymbolState): void
  /** Symbols whose resync is `retryMs` old; their resync time moves to `now`. */
  due(now: number): string[]
  /** Earliest time a retry is due, or Infinity. */
  nextAt(): number
  clear(): void
}

/** Creates the gap tracker; a resync is asked again after `retryMs` without a snapshot. */
export function createResyncGaps(retryMs: number): ResyncGaps {
  const awaiting = new Set<SymbolState>()
  return {
    open(state, receivedAt) {
      if (state.awaitingSnapshot) return 'ignored'
      state.awaitingSnapshot = true
      state.resyncAt = receivedAt
      awaiting.add(state)
      return 'resync'
    },
    close(state) {
      state.awaitingSnapshot = false
      awaiting.delete(state)
    },
    due(now) {
      const due: string[] = []
      for (const state of awaiting) {
        if (now - state.resyncAt >= retryMs) {
          state.resyncAt = now
          due.push(state.symbol)
        }
      }
      return due
    },
    nextAt() {
      let next = Infinity
      for (const state of awaiting) next = Math.min(next, state.resyncAt + retryMs)
      return next
    },
    clear: () => awaiting.clear(),
  }
}
