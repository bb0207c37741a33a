import { WebSocket } from 'ws'
import type {
  ConnectionConfig,
  StreamManagerConfig,
  StreamManagerOptions,
} from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import type { StreamState } from '../../src/core/types'
import { createTestServer, type TestServer, type TestServerOptions } from '../helpers/testServer'
import { countingTimers, type CountingTimers } from './timers.helper'

/** The `ws` package's constructor, typed as the core expects it. */
export const WS = WebSocket

/** Frames of one type the server received, on every socket. */
export function framesOf(server: TestServer, type: string): Record<string, unknown>[] {
  return (server.received as Record<string, unknown>[]).filter((m) => m && m.type === type)
}

/** Symbols of the frames of one type, flattened in order. */
export function symbolsOf(server: TestServer, type: string): string[] {
  return framesOf(server, type).flatMap((m) => m.symbols as string[])
}

export interface Harness {
  server: TestServer
  manager: StreamManager
  timers: CountingTimers
  /** Every state the store went through, in order. */
  states: StreamState[]
  /** Resolves when `predicate` holds (checked on every I/O turn, real time). */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>
  /** Resolves after `ms` of real time. */
  sleep(ms: number): Promise<void>
  /** Destroys the manager and closes the server. */
  close(): Promise<void>
}

type ExtraConfig = StreamManagerOptions & Partial<Omit<ConnectionConfig, 'url'>>

/** A test server on port 0 and a manager connected to it with the `url` shorthand. */
export async function harness(
  config: ExtraConfig = {},
  serverOptions: TestServerOptions = {},
): Promise<Harness> {
  const server = await createTestServer(serverOptions)
  const timers = countingTimers(config.timers)
  const manager = createStreamManager({
    url: server.url,
    WebSocket: WS,
    ...config,
    timers: timers.provider,
  } as StreamManagerConfig)
  const states: StreamState[] = []
  manager.store.subscribe((s) => states.push(s))
  return {
    server,
    manager,
    timers,
    states,
    until: (predicate, timeoutMs = 3_000) => server.waitFor(predicate, timeoutMs),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async close() {
      manager.destroy()
      await server.close()
    },
  }
}
