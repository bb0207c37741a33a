/**
 * Shared set-up of the Redis tests: a real redis-server, publishers and edge nodes on port 0,
 * and everything stopped after each test.
 */
import { Redis } from 'ioredis'
import { afterEach, expect } from 'vitest'
import {
  createFeedPublisher,
  createFeedServer,
  type FeedPublisher,
  type FeedPublisherOptions,
  type FeedServer,
  type FeedServerOptions,
} from '../../src/server'
import { startRedis, type RedisServer } from '../helpers/redisServer'
import { connect, type Msg, type TestClient } from './client'

export interface RedisWorld {
  redis: RedisServer
  publisher(options?: Partial<FeedPublisherOptions>): FeedPublisher
  node(options?: FeedServerOptions): Promise<FeedServer>
  client(server: FeedServer, protocols?: string[]): Promise<TestClient>
  /** A plain connection for the test itself (PUBLISH a bad message, read keys). */
  raw(): Redis
}

const cleanups: Array<() => Promise<void> | void> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Polls `check` every 20 ms until it returns true, or fails after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${check}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Seqs must rise by exactly one from each snapshot on: what the client merges with no resync. */
export function expectContiguous(ticks: Msg[]): void {
  for (let i = 1; i < ticks.length; i++) {
    const [prev, next] = [ticks[i - 1] as Msg, ticks[i] as Msg]
    if (next.type === 'snapshot')
      expect(next.seq as number).toBeGreaterThanOrEqual(prev.seq as number)
    else expect(next.seq).toBe((prev.seq as number) + 1)
  }
}

/** Resolves when the node's `/health` says `ok` (Redis up and the market known). */
export async function nodeReady(server: FeedServer): Promise<void> {
  await waitUntil(async () => {
    const res = await fetch(`${server.restUrl}/health`)
    await res.arrayBuffer()
    return res.status === 200
  })
}

/** Starts redis-server and returns builders whose products are stopped after the test. */
export async function redisWorld(): Promise<RedisWorld> {
  const redis = await startRedis()
  cleanups.push(() => redis.stop())
  const prefix = 'test'
  return {
    redis,
    publisher(options = {}) {
      const publisher = createFeedPublisher({
        tickHz: 0,
        symbols: ['BTC-USD', 'ETH-USD', 'AAPL', 'MSFT'],
        leaseMs: 1500,
        renewMs: 250,
        ...options,
        redis: { url: redis.url, prefix, maxRetryDelayMs: 200, ...options.redis },
      })
      cleanups.push(() => publisher.close())
      return publisher
    },
    async node(options = {}) {
      const server = await createFeedServer({
        port: 0,
        host: '127.0.0.1',
        ...options,
        redis: { url: redis.url, prefix, pollMs: 200, maxRetryDelayMs: 200, ...options.redis },
      })
      cleanups.push(() => server.close())
      return server
    },
    async client(server, protocols) {
      const client = await connect(server.url, protocols)
      cleanups.push(() => client.close())
      return client
    },
    raw() {
      const client = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 1 })
      client.on('error', () => undefined)
      cleanups.push(() => client.disconnect())
      return client
    },
  }
}
