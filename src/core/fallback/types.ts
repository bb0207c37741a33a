/** A REST snapshot of several symbols (PROTOCOL.md section 5), as the poller delivers it. */
export interface PolledSnapshot {
  prices: Record<string, { seq: number; ts?: number; data: Record<string, unknown> }>
  unknown: string[]
}

/**
 * Polls the REST side for the wanted symbols while a connection is in fallback. Runs through
 * @tanstack/query-core so retries, cancellation and focus/online pauses come from there.
 */
export interface Poller {
  /** Symbols to poll; a change takes effect at the next poll. */
  setSymbols(symbols: readonly string[]): void
  /** Polls at once, then every interval. Idempotent. */
  start(): void
  /** Stops polling and cancels any request in flight. */
  stop(): void
  /** Fetches once now (a snapshot on first subscribe, a refresh on focus or online). */
  refresh(): void
  destroy(): void
}
