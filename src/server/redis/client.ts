/**
 * The Redis connections of a publisher or an edge node, made with ioredis, and the Lua
 * scripts they run. Why ioredis: its reconnection (`retryStrategy`) is one function we give
 * it, a subscriber is simply a second connection, and replies of scripts come back as plain
 * arrays. See docs/SCALING.md for the comparison with node-redis.
 *
 * Both kinds of connection run with `enableOfflineQueue: false`: while Redis is away a
 * command fails at once instead of waiting in memory to be sent late, so nothing stale is
 * published after an outage and the caller sees the failure when it happens.
 */
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'

/** Where the Redis broker is, and how tickwire names things in it. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string
  /** Prefix of every key and channel; several markets can share one Redis. @defaultValue 'tickwire' */
  prefix?: string
  /** Longest wait between reconnect attempts, in ms (backoff doubles from 100 ms). @defaultValue 2000 */
  maxRetryDelayMs?: number
}

/** Reconnect delay after `attempt` failures: 100 ms doubling to `max`, with 0-20% jitter. */
export function retryDelay(attempt: number, max: number): number {
  const base = Math.min(max, 100 * 2 ** Math.max(0, attempt - 1))
  return Math.round(base * (1 + Math.random() * 0.2))
}

/** Opens (lazily) one ioredis connection; `onError` sees every socket and protocol error. */
export function openRedis(
  options: RedisConnectionOptions,
  name: string,
  onError: (error: Error) => void,
): Redis {
  const max = options.maxRetryDelayMs ?? 2000
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    // A command is answered or failed; ioredis must not replay it on the next connection.
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    connectionName: name,
    retryStrategy: (times) => retryDelay(times, max),
  })
  // Without a listener ioredis logs every failed reconnect; the caller counts them instead.
  redis.on('error', onError)
  return redis
}

/** Starts connecting without waiting: ioredis retries by itself until `disconnect()`. */
export function startConnecting(redis: Redis): void {
  redis.connect().catch(() => {
    // The first attempt failed: the 'error' listener has counted it and retryStrategy retries.
  })
}

/** A Lua script run with EVALSHA, falling back to EVAL when Redis lost its script cache. */
export interface LuaScript {
  readonly source: string
  readonly sha: string
}

/** Wraps Lua source with its SHA-1. */
export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

/** Runs a script: EVALSHA, and EVAL once if Redis answers NOSCRIPT (after a restart). */
export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args)
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
    return redis.eval(script.source, keys.length, ...keys, ...args)
  }
}
