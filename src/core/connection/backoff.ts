/** The backoff settings `backoffDelay` needs; see `ReconnectOptions` for their defaults. */
export interface BackoffOptions {
  /** Delay of attempt 0 in ms (default 1000, PROTOCOL.md section 4). */
  initialDelayMs: number
  /** Upper bound of the delay before jitter in ms (default 60000). */
  maxDelayMs: number
  /**
   * Spread of the random factor: the delay is multiplied by a factor in
   * `[1 - jitter, 1 + jitter]` (default 0.2), so clients dropped together do not all come
   * back in the same instant. Clamped to [0, 1].
   */
  jitter: number
}

/**
 * Delay before reconnect attempt `attempt` (0-based: the first reconnect after a drop is 0),
 * per PROTOCOL.md section 4: `min(maxDelayMs, initialDelayMs * 2^attempt)` times a random
 * factor in `[1 - jitter, 1 + jitter]`. Pure: the randomness comes from `random`.
 *
 * @param attempt - 0-based attempt number; negative or fractional values are floored at 0.
 * @param options - delays and jitter.
 * @param random - a `Math.random` replacement returning a number in [0, 1); default
 *   `Math.random`. Tests pass a fixed function to make delays exact.
 * @returns the delay in ms, never negative.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const n = Math.max(0, Math.floor(attempt))
  const jitter = Math.min(1, Math.max(0, options.jitter))
  // 2 ** n grows to Infinity for huge n; min() then caps it, so no overflow care is needed.
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** n)
  const r = Math.min(1, Math.max(0, random()))
  const factor = 1 - jitter + 2 * jitter * r
  return Math.max(0, base * factor)
}
