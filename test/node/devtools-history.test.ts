import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { historyOf } from '../../src/devtools'
import { createTestServer, type TestServer } from '../helpers/testServer'

let manager: StreamManager | undefined
let server: TestServer | undefined
afterEach(async () => {
  manager?.destroy()
  manager = undefined
  await server?.close()
  server = undefined
})

describe('devtools status history', () => {
  it(
    'keeps showing new status changes after Clear once the manager history is full (200)',
    { timeout: 20_000 },
    async () => {
      // Every socket is closed right after the upgrade: each attempt is open, then reconnecting.
      server = await createTestServer()
      server.refuse('close')
      const m = createStreamManager({
        url: server.url,
        // Never fall back to REST, whose status would stay `fallback` across attempts.
        fallbackAfterFailures: 1_000_000,
        WebSocket,
        reconnect: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 1_000 },
      })
      manager = m
      m.subscribe(['BTC-USD'])
      const log = historyOf(m)
      const undo = log.subscribe(() => {})
      // Each attempt is two changes: run past the cap of 200.
      await vi.waitFor(() => expect(m.inspect().history()).toHaveLength(200), {
        timeout: 10_000,
        interval: 20,
      })
      log.clear()
      expect(log.entries()).toEqual([])
      const newest = m.inspect().history().at(-1)
      await vi.waitFor(() => expect(m.inspect().history().at(-1)).not.toBe(newest), {
        timeout: 5_000,
        interval: 5,
      })
      // What happened after Clear is shown, and nothing from before it.
      const shown = log.entries()
      expect(shown.length).toBeGreaterThan(0)
      expect(shown).not.toContain(newest)
      expect(shown.at(-1)).toBe(m.inspect().history().at(-1))
      undo()
    },
  )
})
