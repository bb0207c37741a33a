import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { createTestServer, type TestServer } from '../helpers/testServer'

let manager: StreamManager | undefined
let server: TestServer | undefined
afterEach(async () => {
  manager?.destroy()
  manager = undefined
  await server?.close()
  server = undefined
})

const queued = (m: StreamManager): number | undefined =>
  m.store.getState().connections['default']?.queuedFrames

describe('manager: queued application frames in the connection info', () => {
  it('counts what send() keeps while the socket is down, and is back to 0 once the new socket sent it', async () => {
    server = await createTestServer()
    const s = server
    const m = createStreamManager({
      url: s.url,
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 40 },
    })
    manager = m
    m.subscribe(['BTC-USD'])
    const status = () => m.store.getState().connections['default']?.status
    await vi.waitFor(() => expect(status()).toBe('open'))
    expect(queued(m)).toBe(0)

    // Down: new sockets are refused, so what the app sends waits in the connection.
    s.refuse('reject')
    s.dropAll()
    await vi.waitFor(() => expect(status()).not.toBe('open'))
    for (let n = 1; n <= 3; n++) m.send({ type: 'note', n })
    await vi.waitFor(() => expect(queued(m)).toBe(3), { timeout: 2_000 })

    s.accept()
    await vi.waitFor(() => expect(queued(m)).toBe(0), { timeout: 5_000 })
    const notes = s.received.filter((f) => (f as { type?: string }).type === 'note')
    expect(notes).toEqual([
      { type: 'note', n: 1 },
      { type: 'note', n: 2 },
      { type: 'note', n: 3 },
    ])
  })
})
