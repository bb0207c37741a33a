/**
 * The names tickwire uses in Redis, shared by the publisher and the edge nodes. Every name
 * starts with a prefix (default `tickwire`) so several markets can share one Redis.
 *
 * - `<p>:lease`   string, the active publisher's token, with a TTL (see lease.ts)
 * - `<p>:seq`     hash, symbol -> last issued sequence number (HINCRBY)
 * - `<p>:latest`  hash, symbol -> the last snapshot as JSON `{symbol, seq, ts, data}`
 * - `<p>:meta`    hash, `symbols` (JSON array) and `shards` (channel layout), set by the publisher
 * - `<p>:px:<symbol>` or `<p>:px:#<n>` pub/sub channels (see {@link channelFor})
 */

/** Default prefix of every key and channel. */
export const DEFAULT_PREFIX = 'tickwire'

/** The key names under one prefix. */
export interface RedisKeys {
  readonly prefix: string
  readonly lease: string
  readonly seq: string
  readonly latest: string
  readonly meta: string
}

/** Key names under `prefix`. */
export function redisKeys(prefix: string = DEFAULT_PREFIX): RedisKeys {
  return {
    prefix,
    lease: `${prefix}:lease`,
    seq: `${prefix}:seq`,
    latest: `${prefix}:latest`,
    meta: `${prefix}:meta`,
  }
}

/** FNV-1a over UTF-16 code units: stable across processes and cheap. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * The pub/sub channel that carries a symbol's moves. With `shards` 0 every symbol has its
 * own channel (a node hears exactly what its clients want); with `shards` N > 0 symbols are
 * spread by hash over N channels (fewer PUBLISH calls per step, but a node also hears the
 * other symbols of the shards it needs and drops them).
 */
export function channelFor(keys: RedisKeys, symbol: string, shards: number): string {
  return shards > 0 ? `${keys.prefix}:px:#${hash(symbol) % shards}` : `${keys.prefix}:px:${symbol}`
}
