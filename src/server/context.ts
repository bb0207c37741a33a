/**
 * What the server's parts share: the market, the fan-out hub, the counters and the resolved
 * options. One object passed down instead of module globals, so two servers in one process
 * (as in tests) never see each other.
 */
import type { Hub, Meters } from './hub'
import type { Market, SymbolSnapshot } from './market'
import type { AppMessage, ServerMessage, SnapshotMessage } from './messages'

/**
 * Handles a client frame of a type the protocol does not define (an order, a chat line...).
 * `reply` sends a message back on the same socket.
 */
export type AppMessageHandler = (
  message: AppMessage,
  reply: (message: ServerMessage | AppMessage) => void,
) => void

/** A fixed-window limit on the frames one connection may send. */
export interface RateLimitOptions {
  /** Frames allowed per window. @defaultValue 200 */
  maxFrames?: number
  /** Window length in ms. @defaultValue 1000 */
  windowMs?: number
}

/** Options after defaults, as the parts read them. */
export interface ResolvedOptions {
  heartbeatMs: number
  slowClientBytes: number
  rateLimit: Required<RateLimitOptions> | false
  verifyToken: ((token: string) => boolean | Promise<boolean>) | undefined
  authTimeoutMs: number
  maxConnections: number
  onAppMessage: AppMessageHandler | undefined
  /** Frames below this many bytes are sent uncompressed (src/server/compression.ts). */
  compressMinBytes: number
}

/** The state every session, stream and HTTP handler of one server shares. */
export interface FeedContext {
  market: Market
  hub: Hub
  meters: Meters
  now: () => number
  options: ResolvedOptions
  /**
   * Reads snapshots from elsewhere for REST (an edge node reads Redis); undefined when the
   * source cannot vouch for any value now. Absent: `market.snapshot` answers.
   */
  fetchSnapshots?: (symbols: readonly string[]) => Promise<Map<string, SymbolSnapshot> | undefined>
}

/** The snapshot message of a symbol the market knows. */
export function snapshotMessage(context: FeedContext, symbol: string): SnapshotMessage | undefined {
  const snap = context.market.snapshot(symbol)
  return snap && { type: 'snapshot', ...snap }
}
