// A .ts file (no JSX): the Vitest project `node` only collects `test/node/**/*.test.ts`.
import { createElement as h, StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StreamProvider } from '../../src/react'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { App } from '../react/App.fixture'

const WebSocket = NodeWebSocket

let server: TestServer

beforeEach(async () => {
  server = await createTestServer()
})

afterEach(async () => {
  await server.close()
})

/** Timers and handles Node holds open, by kind (`Timeout`, `TCPSocketWrap`, ...). */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

/** A few turns of the event loop, long enough for a socket to reach the server if one opened. */
async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

describe('server rendering', () => {
  it('renderToString with a url renders the loading state, opens nothing and leaves no handle', async () => {
    await turns()
    const before = activeResources()
    const html = renderToString(h(StrictMode, null, h(StreamProvider, { url: server.url }, h(App))))
    expect(html).toContain('BTC-USD')
    expect(html).toContain('loading')
    expect(html).toContain('no ETH yet')
    expect(html).toContain('data-status="idle"')
    await turns()
    expect(server.opened).toBe(0)
    expect(activeResources()).toEqual(before)
  })

  it('does not start even when the config could open a socket in Node', async () => {
    await turns()
    const before = activeResources()
    const config = { url: server.url, WebSocket, staleAfterMs: 10, unsubscribeDelayMs: 0 }
    const html = renderToString(h(StreamProvider, { config }, h(App)))
    // React separates adjacent text nodes with empty comments; they are not content.
    expect(html.replaceAll('<!-- -->', '')).toContain('stream idle, pill idle, 0 errors')
    await turns()
    expect(server.opened).toBe(0)
    expect(activeResources()).toEqual(before)
  })

  it('imports the tickwire entry in Node without touching window', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
    const entry = await import('../../src/index')
    expect(typeof entry.StreamProvider).toBe('function')
    expect(typeof entry.createStreamManager).toBe('function')
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
  })
})
