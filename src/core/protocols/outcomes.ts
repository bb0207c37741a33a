import type { InboundEvent } from './types'

/** A server `error` message as the adapter decoded it. */
export type ServerError = Extract<InboundEvent, { type: 'error' }>

/**
 * What a server close or a server error means for the connection, as the protocol adapter
 * classifies it. The connection acts on these and never reads a close code or an error code.
 *
 * - `unauthorized`: the token was refused; the next attempt asks for a fresh token, and
 *   `DEFAULTS.unauthorizedCloseLimit` refusals in a row end in `error`/`unauthorized`.
 * - `overloaded`: the server has too many connections; the next attempt waits at least the
 *   longest backoff delay.
 * - `reconnect`: an ordinary drop; reconnect with backoff.
 * - `rate_limited`: hold every outbound frame but pings for `retryAfterS` seconds.
 * - `symbols_refused`: these symbols are not served; they become symbol errors.
 * - `report`: counted in `stats.errors` and handed to `error` listeners, nothing else.
 *
 * An error that ends the socket names in `closeCode` the close it stands for: the status
 * reason is then `server_close:<closeCode>`, as for the close itself.
 */
export type ServerOutcome =
  | { type: 'unauthorized' | 'overloaded' | 'reconnect'; closeCode?: number }
  | { type: 'rate_limited'; retryAfterS: number | undefined }
  | { type: 'symbols_refused'; symbols: string[] }
  | { type: 'report' }

/** Close code of a refused token (PROTOCOL.md section 4). */
export const CLOSE_UNAUTHORIZED = 4401
/** Close code of a server with too many connections (PROTOCOL.md section 4). */
export const CLOSE_TOO_MANY_CONNECTIONS = 4429

const UNAUTHORIZED: ServerOutcome = { type: 'unauthorized' }
const OVERLOADED: ServerOutcome = { type: 'overloaded' }
const RECONNECT: ServerOutcome = { type: 'reconnect' }
const REPORT: ServerOutcome = { type: 'report' }

/** The tickwire protocol's close codes (PROTOCOL.md section 4): 4401 and 4429, else a drop. */
export function tickwireCloseOutcome(code: number): ServerOutcome {
  if (code === CLOSE_UNAUTHORIZED) return UNAUTHORIZED
  if (code === CLOSE_TOO_MANY_CONNECTIONS) return OVERLOADED
  return RECONNECT
}

/** The tickwire protocol's error codes (PROTOCOL.md section 3.6). */
export function tickwireErrorOutcome(error: ServerError): ServerOutcome {
  switch (error.code) {
    case 'unauthorized':
      // Acts as close 4401 (PROTOCOL.md section 3.6).
      return { type: 'unauthorized', closeCode: CLOSE_UNAUTHORIZED }
    case 'rate_limited':
      return { type: 'rate_limited', retryAfterS: error.retryAfter }
    case 'unknown_symbol':
      return { type: 'symbols_refused', symbols: error.symbols ?? [] }
    default:
      return REPORT
  }
}

/** For adapters whose server has no special close codes or error codes: drops and reports. */
export const plainCloseOutcome = (): ServerOutcome => RECONNECT
/** See {@link plainCloseOutcome}. */
export const plainErrorOutcome = (): ServerOutcome => REPORT
