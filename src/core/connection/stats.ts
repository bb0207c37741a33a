import type { ConnectionStats } from '../types'

/** Fresh statistics of a connection that has done nothing yet: every counter at zero. */
export function emptyStats(): ConnectionStats {
  return {
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    dropped: 0,
    invalid: 0,
    reconnects: 0,
    errors: 0,
  }
}

/** Sums of statistics over connections; times are the latest of any. */
export function sumStats(all: ConnectionStats[]): ConnectionStats {
  const out = emptyStats()
  for (const s of all) {
    out.messagesIn += s.messagesIn
    out.messagesOut += s.messagesOut
    out.bytesIn += s.bytesIn
    out.bytesOut += s.bytesOut
    out.dropped += s.dropped
    out.invalid += s.invalid
    out.reconnects += s.reconnects
    out.errors += s.errors
    if (s.lastMessageAt !== undefined)
      out.lastMessageAt = Math.max(out.lastMessageAt ?? 0, s.lastMessageAt)
    if (s.connectedAt !== undefined) out.connectedAt = Math.max(out.connectedAt ?? 0, s.connectedAt)
  }
  return out
}
