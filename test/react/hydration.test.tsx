import { act, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import type { ReactNode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import { StreamProvider } from '../../src/react'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { App } from './App.fixture'
import { WebSocket, countingTimers } from './support'

let server: TestServer

beforeEach(async () => {
  server = await createTestServer()
})

afterEach(async () => {
  await server.close()
})

describe('hydration', () => {
  it('hydrates server markup without mismatch, then connects once', async () => {
    const timers = countingTimers()
    const config = { url: server.url, WebSocket, timers }
    const tree = (): ReactNode => (
      <StrictMode>
        <StreamProvider config={config}>
          <App />
        </StreamProvider>
      </StrictMode>
    )

    const html = renderToString(tree())
    await new Promise((resolve) => setImmediate(resolve))
    expect(server.opened).toBe(0)
    expect(timers.pending()).toBe(0)

    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const recoverable: unknown[] = []
    let root: ReturnType<typeof hydrateRoot> | undefined
    await act(async () => {
      root = hydrateRoot(container, tree(), {
        onRecoverableError: (error) => recoverable.push(error),
      })
    })
    expect(recoverable).toEqual([])

    expect(await screen.findByText('BTC-USD 100')).toBeInTheDocument()
    expect(server.opened).toBe(1)

    act(() => root?.unmount())
    await act(async () => {
      await new Promise((resolve) => setImmediate(resolve))
    })
    await server.waitFor(() => server.openNow === 0)
    expect(timers.pending()).toBe(0)
    container.remove()
  })

  it('hydrates without mismatch when a given manager already holds data, then shows it', async () => {
    const html = renderToString(
      <StreamProvider config={{ url: server.url, WebSocket }}>
        <App />
      </StreamProvider>,
    )
    expect(html).toContain('loading')

    // The app's own manager, started and filled before React hydrates.
    const manager = createStreamManager({ url: server.url, WebSocket, throttleMs: 0 })
    const release = manager.subscribe(['BTC-USD', 'ETH-USD'])
    await server.waitFor(() => manager.store.getState().prices['ETH-USD']?.price === 100)

    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const recoverable: unknown[] = []
    let root: ReturnType<typeof hydrateRoot> | undefined
    await act(async () => {
      root = hydrateRoot(
        container,
        <StreamProvider manager={manager}>
          <App />
        </StreamProvider>,
        { onRecoverableError: (error) => recoverable.push(error) },
      )
    })
    expect(recoverable).toEqual([])
    expect(await screen.findByText('BTC-USD 100')).toBeInTheDocument()
    expect(screen.getByTestId('eth')).toHaveTextContent('100')

    act(() => root?.unmount())
    release()
    manager.destroy()
    container.remove()
  })
})
