import { afterEach, describe, expect, it, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { Profiler, StrictMode, useLayoutEffect, type ReactNode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { PriceFlash } from '../../src/components'
import '../../src/components/styles.css'
import { createStreamManager } from '../../src/core/manager'
import { applyDiff } from '../../src/core/prices/diff'
import type { StreamManager } from '../../src/core/stream-manager'
import type { PriceTick } from '../../src/core/types'
import { StreamProvider } from '../../src/react'
import { createSimulatedFeed, SIMULATED_URL } from '../../stories/simulatedFeed'

const cells = () => [...document.querySelectorAll<HTMLElement>('.tw-price-flash')]
const flash = () => cells()[0] as HTMLElement
const text = (cell: Element = flash()) => cell.querySelector('.tw-price-flash__value')?.textContent
const en = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 8 })

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn()
  vi.restoreAllMocks()
})

/** A manager on the simulated feed; at rate 0 only the snapshots come, the test writes ticks. */
function feedManager(rate = 0, symbols?: string[]): StreamManager {
  const feed = createSimulatedFeed({
    connectDelayMs: 5,
    rate,
    updateShare: 1,
    ...(symbols ? { symbols } : {}),
  })
  const manager = createStreamManager({
    url: SIMULATED_URL,
    WebSocket: feed.WebSocket,
    throttleMs: 0,
  })
  cleanups.push(() => {
    manager.destroy()
    feed.destroy()
  })
  return manager
}

const priceOf = (manager: StreamManager, symbol: string) =>
  manager.store.getState().prices[symbol]?.price

/** Writes one tick to the store as the manager's frame write does (one `setState`). */
function writeTick(manager: StreamManager, symbol: string, change: Partial<PriceTick>): void {
  const current = manager.store.getState().prices[symbol] as PriceTick
  const tick = { ...current, seq: current.seq + 1, ...change }
  applyDiff(manager.store, { prices: { [symbol]: tick }, connections: {}, symbolErrors: {} })
}

describe('PriceFlash (connected): ticks bypass React', () => {
  it('writes the text, data-stale and the flash of a tick without a React commit', async () => {
    const manager = feedManager()
    let commits = 0
    await render(
      <StrictMode>
        <StreamProvider manager={manager}>
          <Profiler id="cell" onRender={() => (commits += 1)}>
            <PriceFlash symbol="BTC-USD" locale="en-US" flashMs={300} />
          </Profiler>
        </StreamProvider>
      </StrictMode>,
    )
    await expect.poll(() => priceOf(manager, 'BTC-USD'), { timeout: 3_000 }).toBeDefined()
    const first = priceOf(manager, 'BTC-USD') as number
    await expect.poll(() => text()).toBe(en.format(first))
    commits = 0

    writeTick(manager, 'BTC-USD', { price: first + 1 })
    expect(text()).toBe(en.format(first + 1))
    expect(flash().dataset['direction']).toBe('up')
    expect(flash().querySelector('.tw-price-flash__arrow')?.textContent).toBe('▲')
    expect(flash().dataset['flashParity']).toBe('a')
    expect(flash().hasAttribute('data-stale')).toBe(false)

    writeTick(manager, 'BTC-USD', { price: first - 1, stale: true })
    expect(text()).toBe(en.format(first - 1))
    expect(flash().dataset['direction']).toBe('down')
    expect(flash().getAttribute('data-stale')).toBe('')

    writeTick(manager, 'BTC-USD', { stale: false })
    expect(flash().hasAttribute('data-stale')).toBe(false)
    // Same value: no new flash (the parity of the last change stays).
    expect(flash().dataset['flashParity']).toBe('b')

    await expect.poll(() => flash().dataset['direction'], { timeout: 2_000 }).toBe('none')
    expect(commits).toBe(0)
  })

  it('commits nothing while a live board streams, and every write leaves every cell current', async () => {
    const symbols = Array.from({ length: 40 }, (_, i) => `S${i}`)
    const manager = feedManager(60, symbols)
    let commits = 0
    await render(
      <StreamProvider manager={manager}>
        <Profiler id="board" onRender={() => (commits += 1)}>
          {symbols.map((s) => (
            <PriceFlash key={s} symbol={s} locale="en-US" data-symbol={s} />
          ))}
        </Profiler>
      </StreamProvider>,
    )
    await expect
      .poll(() => cells().every((cell) => text(cell) !== '—'), { timeout: 3_000 })
      .toBe(true)
    commits = 0
    // After each store write (this listener runs after the cells'), every cell shows its tick.
    let writes = 0
    const behind: string[] = []
    const stop = manager.store.subscribe((state) => {
      writes += 1
      for (const cell of cells()) {
        const tick = state.prices[cell.dataset['symbol'] ?? '']
        if (tick && text(cell) !== en.format(tick.price)) behind.push(cell.dataset['symbol'] ?? '')
      }
    })
    cleanups.push(stop)
    await expect.poll(() => writes, { timeout: 5_000 }).toBeGreaterThanOrEqual(15)
    stop()
    expect(behind).toEqual([])
    expect(new Set(cells().map((cell) => cell.dataset['direction'])).size).toBeGreaterThan(1)
    expect(commits).toBe(0)
  })

  it('still renders for its props: a new format, field or symbol shows the latest tick', async () => {
    const manager = feedManager()
    let commits = 0
    const ui = (props: { symbol: string; digits: number; field?: 'price' | 'bid' }) => (
      <StreamProvider manager={manager}>
        <Profiler id="cell" onRender={() => (commits += 1)}>
          <PriceFlash
            symbol={props.symbol}
            {...(props.field ? { field: props.field } : {})}
            locale="en-US"
            maximumFractionDigits={props.digits}
          />
        </Profiler>
      </StreamProvider>
    )
    const screen = await render(ui({ symbol: 'BTC-USD', digits: 8 }))
    await expect.poll(() => priceOf(manager, 'BTC-USD'), { timeout: 3_000 }).toBeDefined()
    writeTick(manager, 'BTC-USD', { price: 1234.5678, bid: 1234.25 })
    expect(text()).toBe('1,234.5678')
    commits = 0
    await screen.rerender(ui({ symbol: 'BTC-USD', digits: 2 }))
    expect(text()).toBe('1,234.57')
    await screen.rerender(ui({ symbol: 'BTC-USD', digits: 2, field: 'bid' }))
    expect(text()).toBe('1,234.25')
    expect(commits).toBe(2)
    // The listener follows the new props: a tick formats with them.
    writeTick(manager, 'BTC-USD', { bid: 1000.125 })
    expect(text()).toBe('1,000.13')

    await screen.rerender(ui({ symbol: 'ETH-USD', digits: 2 }))
    await expect.poll(() => priceOf(manager, 'ETH-USD'), { timeout: 3_000 }).toBeDefined()
    await expect.poll(() => text()).toBe(en.format(priceOf(manager, 'ETH-USD') as number))
    // Ticks of the symbol it left reach it no more.
    const shown = text()
    writeTick(manager, 'BTC-USD', { price: 1 })
    expect(text()).toBe(shown)
  })

  it('misses no tick written between its render and the moment its listener is attached', async () => {
    const manager = feedManager()
    const release = manager.subscribe(['BTC-USD'])
    cleanups.push(release)
    manager.start()
    await expect.poll(() => priceOf(manager, 'BTC-USD'), { timeout: 3_000 }).toBeDefined()
    /** Writes a tick in the mount's commit, after the cell's layout effects, before its listener. */
    function Writer(): null {
      useLayoutEffect(() => writeTick(manager, 'BTC-USD', { price: 777.5 }), [])
      return null
    }
    await render(
      <StreamProvider manager={manager}>
        <PriceFlash symbol="BTC-USD" locale="en-US" />
        <Writer />
      </StreamProvider>,
    )
    await expect.poll(() => text()).toBe('777.50')
    // And it listens from then on.
    writeTick(manager, 'BTC-USD', { price: 778 })
    expect(text()).toBe('778.00')
  })

  it('reads neither animations, style nor layout when a tick arrives', async () => {
    const manager = feedManager()
    await render(
      <StreamProvider manager={manager}>
        <PriceFlash symbol="BTC-USD" locale="en-US" flashMs={300} />
        <PriceFlash symbol="BTC-USD" locale="en-US" flashMs={300} flashStyle="fade" />
      </StreamProvider>,
    )
    await expect.poll(() => priceOf(manager, 'BTC-USD'), { timeout: 3_000 }).toBeDefined()
    const first = priceOf(manager, 'BTC-USD') as number
    const spies = [
      vi.spyOn(Element.prototype, 'getAnimations'),
      vi.spyOn(Document.prototype, 'getAnimations'),
      vi.spyOn(window, 'getComputedStyle'),
      vi.spyOn(Element.prototype, 'getBoundingClientRect'),
      vi.spyOn(Element.prototype, 'getClientRects'),
    ]
    for (const price of [first + 1, first + 2, first + 1.5])
      writeTick(manager, 'BTC-USD', { price })
    expect(cells().map((cell) => cell.dataset['direction'])).toEqual(['down', 'down'])
    await expect
      .poll(() => cells().map((cell) => cell.dataset['direction']), { timeout: 2_000 })
      .toEqual(['none', 'none'])
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
  })
})

describe('PriceFlash (connected): server rendering and hydration', () => {
  function app(manager: StreamManager): ReactNode {
    return (
      <StreamProvider manager={manager}>
        <PriceFlash symbol="BTC-USD" locale="en-US" />
      </StreamProvider>
    )
  }

  it('hydrates the server markup without a mismatch, then shows the client store and its ticks', async () => {
    // The server's manager is never started: its markup is the placeholder.
    const serverManager = feedManager()
    const html = renderToString(app(serverManager))
    expect(html).toContain('—')

    // The client's manager already holds a price when React hydrates.
    const manager = feedManager()
    const release = manager.subscribe(['BTC-USD'])
    cleanups.push(release)
    manager.start()
    await expect.poll(() => priceOf(manager, 'BTC-USD'), { timeout: 3_000 }).toBeDefined()
    writeTick(manager, 'BTC-USD', { price: 4242.5 })

    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const errors = vi.spyOn(console, 'error')
    const recoverable: unknown[] = []
    let commits = 0
    const root = hydrateRoot(
      container,
      <Profiler id="app" onRender={() => (commits += 1)}>
        {app(manager)}
      </Profiler>,
      { onRecoverableError: (error) => recoverable.push(error) },
    )
    cleanups.push(() => {
      root.unmount()
      container.remove()
    })
    const cell = () => container.querySelector('.tw-price-flash') as HTMLElement
    await expect.poll(() => text(cell()), { timeout: 2_000 }).toBe('4,242.50')
    expect(recoverable).toEqual([])
    expect(errors).not.toHaveBeenCalled()

    // After hydration, ticks go to the DOM without a commit.
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))
    commits = 0
    writeTick(manager, 'BTC-USD', { price: 4243 })
    expect(text(cell())).toBe('4,243.00')
    expect(cell().dataset['direction']).toBe('up')
    expect(commits).toBe(0)
  })
})
