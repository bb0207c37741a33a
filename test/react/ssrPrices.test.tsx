import { act, screen } from '@testing-library/react'
import type { DehydratedState } from '@tanstack/react-query'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { hydrateRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server'
import { STREAM_SETTINGS_KEY } from '../../src/react/settingsStore'
import { PricesApp, SYMBOLS } from './fixtures/PricesApp'

let feed: FeedServer

beforeEach(async () => {
  // A still market (no ticks of its own): what the server rendered is what the REST side had.
  feed = await createFeedServer({ port: 0, host: '127.0.0.1', tickHz: 0 })
})

afterEach(async () => {
  await feed.close()
  localStorage.clear()
  vi.restoreAllMocks()
})

/** Renders the app on the server in a fresh Node process: the HTML and the dehydrated cache. */
function renderOnServer(): Promise<{ html: string; state: DehydratedState }> {
  const script = join(import.meta.dirname, 'fixtures', 'ssrRender.tsx')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, feed.url, feed.restUrl], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`server render exited with ${code}: ${err}`))
      else resolve(JSON.parse(out) as { html: string; state: DehydratedState })
    })
  })
}

describe('server rendering with prices (prefetchPrices + HydrationBoundary)', () => {
  it('the server HTML shows the REST prices, and hydration renders the same markup without a warning', async () => {
    // Prices no default market has, so the HTML can only have them from the feed's REST side.
    feed.publish('BTC-USD', { price: 12_345.67 })
    feed.publish('ETH-USD', { price: 2_345.89 })
    const { html, state } = await renderOnServer()
    // React separates adjacent text nodes with empty comments; they are not content.
    const text = html.replaceAll('<!-- -->', '')
    expect(text).toContain('BTC-USD 12345.67')
    expect(text).toContain('ETH-USD 2345.89')
    expect(text).toContain('data-source="poll"')
    expect(text).not.toContain('…')
    expect(text).toContain('rate default')

    // The user's stored settings are read after hydration, never during it.
    localStorage.setItem(
      STREAM_SETTINGS_KEY,
      JSON.stringify({ state: { enabled: {}, throttleMs: 250 }, version: 1 }),
    )
    const error = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const props = { state, url: feed.url, restUrl: feed.restUrl }
    let root: Root | undefined
    await act(async () => {
      root = hydrateRoot(container, <PricesApp {...props} />, {
        onRecoverableError: (e) => recoverable.push(e),
      })
    })
    expect(recoverable).toEqual([])
    expect(error).not.toHaveBeenCalled()

    // Then the page goes live: the stream takes over, and the stored settings apply.
    for (const symbol of SYMBOLS) {
      await vi.waitFor(
        () => expect(screen.getByTestId(symbol)).toHaveAttribute('data-source', 'stream'),
        {
          timeout: 5_000,
        },
      )
    }
    expect(screen.getByTestId('settings')).toHaveTextContent('default on, rate 250')
    expect(feed.stats().connections).toBe(1)

    act(() => root?.unmount())
    container.remove()
    await vi.waitFor(() => expect(feed.stats().connections).toBe(0))
    expect(error).not.toHaveBeenCalled()
  }, 30_000)
})
