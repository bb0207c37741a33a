/**
 * What one connection does with an `error` frame, as its protocol adapter classified it
 * (protocols/outcomes.ts): refused symbols, a rate limit, a report, or the end of the socket.
 */
import { DEFAULTS } from '../config'
import type { ServerError, ServerOutcome } from '../protocols/outcomes'
import type { ConnectionStats } from '../types'
import type { InboundHandlers } from './inbound'

/** Acts on what the protocol adapter says a server error means. */
export function actOnServerError(
  handlers: InboundHandlers,
  stats: ConnectionStats,
  error: ServerError,
  outcome: ServerOutcome,
  receivedAt: number,
): void {
  switch (outcome.type) {
    case 'symbols_refused':
      return handlers.symbolsRefused(error, outcome.symbols, receivedAt)
    case 'rate_limited': {
      const s = outcome.retryAfterS
      // A negative, NaN or infinite advice is no advice: the protocol's default applies.
      const hold =
        s !== undefined && Number.isFinite(s) && s >= 0 ? s : DEFAULTS.rateLimitRetryAfterS
      return handlers.holdFor(hold * 1000)
    }
    case 'report':
      stats.errors += 1
      return handlers.report(error)
    default:
      return handlers.endSocket(outcome)
  }
}
