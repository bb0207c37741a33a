import { afterEach, describe, expect, it, vi } from 'vitest'
import { page } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { createRef, Profiler } from 'react'
import { PriceFlash } from '../../src/components'
import '../../src/components/styles.css'
import { createStreamManager } from '../../src/core/manager'
import { StreamProvider } from '../../src/react'
import { createSimulatedFeed, SIMULATED_URL } from '../../stories/simulatedFeed'

const flash = () => document.querySelector<HTMLElement>('.tw-price-flash') as HTMLElement
const value = () => flash().querySelector('.tw-price-flash__value')?.textContent
const arrow = () => flash().querySelector('.tw-price-flash__arrow')?.textContent

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn()
})

describe('PriceFlash (controlled)', () => {
  it('formats with Intl.NumberFormat and starts without a direction', async () => {
    await render(<PriceFlash value={45012.5} locale="en-US" />)
    expect(value()).toBe('45,012.50')
    expect(flash().dataset['direction']).toBe('none')
    expect(arrow()).toBe('')
  })

  it('flashes up with an arrow for flashMs, then clears', async () => {
    const screen = await render(<PriceFlash value={100} locale="en-US" flashMs={300} />)
    const started = performance.now()
    await screen.rerender(<PriceFlash value={101} locale="en-US" flashMs={300} />)
    expect(flash().dataset['direction']).toBe('up')
    expect(arrow()).toBe('▲')
    expect(value()).toBe('101.00')
    await expect
      .poll(() => flash().dataset['direction'], { timeout: 2_000, interval: 20 })
      .toBe('none')
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    expect(arrow()).toBe('')
  })

  it('flashes down', async () => {
    const screen = await render(<PriceFlash value={100} locale="en-US" />)
    await screen.rerender(<PriceFlash value={99.5} locale="en-US" />)
    expect(flash().dataset['direction']).toBe('down')
    expect(arrow()).toBe('▼')
  })

  it('by default holds a tint with no animation, and clears it in one step', async () => {
    const screen = await render(<PriceFlash value={1} flashMs={300} />)
    const background = () => getComputedStyle(flash()).backgroundColor
    const resting = background()
    await screen.rerender(<PriceFlash value={2} flashMs={300} />)
    // A plain background while the flash lasts: nothing runs per frame, on the root or inside.
    expect(flash().dataset['direction']).toBe('up')
    expect(background()).not.toBe(resting)
    expect(flash().getAnimations({ subtree: true })).toEqual([])
    await new Promise((done) => setTimeout(done, 150))
    expect(flash().getAnimations({ subtree: true })).toEqual([])
    await expect.poll(() => flash().dataset['direction'], { timeout: 2_000 }).toBe('none')
    expect(background()).toBe(resting)
  })

  it('restarts the flash on consecutive changes in the same direction (fade)', async () => {
    const ui = (v: number) => <PriceFlash value={v} flashMs={400} flashStyle="fade" />
    const screen = await render(ui(1))
    await screen.rerender(ui(2))
    const animation = () => flash().getAnimations({ subtree: true })[0]
    await expect
      .poll(() => (animation() as CSSAnimation | undefined)?.animationName ?? '', {
        timeout: 1_000,
      })
      .toBe('tw-flash-fade')
    await new Promise((done) => setTimeout(done, 250))
    const before = Number(animation()?.currentTime ?? 0)
    expect(before).toBeGreaterThan(150)
    await screen.rerender(ui(3))
    // Same direction: the attribute did not change, the running fade was restarted.
    expect(flash().dataset['direction']).toBe('up')
    expect(Number(animation()?.currentTime ?? 1_000)).toBeLessThan(before)
    // And the direction lasts flashMs from the second change, not the first.
    await new Promise((done) => setTimeout(done, 250))
    expect(flash().dataset['direction']).toBe('up')
    await expect
      .poll(() => flash().dataset['direction'], { timeout: 1_000, interval: 20 })
      .toBe('none')
  })

  it('extends a step flash on a change in the same direction', async () => {
    const ui = (v: number) => <PriceFlash value={v} flashMs={400} />
    const screen = await render(ui(1))
    await screen.rerender(ui(2))
    await new Promise((done) => setTimeout(done, 250))
    await screen.rerender(ui(3))
    await new Promise((done) => setTimeout(done, 250))
    // 500 ms after the first change, 250 after the second.
    expect(flash().dataset['direction']).toBe('up')
    await expect.poll(() => flash().dataset['direction'], { timeout: 1_000 }).toBe('none')
  })

  it('restarts a same-direction fade by flipping the animation name with data-flash-parity', async () => {
    const ui = (v: number) => <PriceFlash value={v} flashMs={2_000} flashStyle="fade" />
    const screen = await render(ui(1))
    expect(flash().dataset['flashParity']).toBeUndefined()
    const names = () =>
      flash()
        .getAnimations({ subtree: true })
        .map(
          (a) =>
            `${(a.effect as KeyframeEffect).pseudoElement} ${(a as CSSAnimation).animationName}`,
        )
    const seen: { direction: string | undefined; parity: string | undefined; names: string[] }[] =
      []
    for (const v of [2, 3, 4, 3]) {
      await screen.rerender(ui(v))
      seen.push({
        direction: flash().dataset['direction'],
        parity: flash().dataset['flashParity'],
        names: names(),
      })
    }
    // One running animation each time, on the overlay, a new name per change: that restarts it.
    expect(seen).toEqual([
      { direction: 'up', parity: 'a', names: ['::before tw-flash-fade'] },
      { direction: 'up', parity: 'b', names: ['::before tw-flash-fade-b'] },
      { direction: 'up', parity: 'a', names: ['::before tw-flash-fade'] },
      { direction: 'down', parity: 'b', names: ['::before tw-flash-fade-b'] },
    ])
  })

  it('fades the overlay opacity, never the background of the cell', async () => {
    const screen = await render(<PriceFlash value={1} flashMs={1_000} flashStyle="fade" />)
    await screen.rerender(<PriceFlash value={0.5} flashMs={1_000} flashStyle="fade" />)
    const [animation] = flash().getAnimations({ subtree: true })
    const keyframes = (animation?.effect as KeyframeEffect).getKeyframes()
    const animated = new Set(
      keyframes.flatMap((k) =>
        Object.keys(k).filter(
          (p) => !['offset', 'computedOffset', 'easing', 'composite'].includes(p),
        ),
      ),
    )
    expect([...animated]).toEqual(['opacity'])
    expect(getComputedStyle(flash()).backgroundColor).toBe('rgba(0, 0, 0, 0)')
    expect(getComputedStyle(flash(), '::before').backgroundColor).not.toBe('rgba(0, 0, 0, 0)')
  })

  it('reads neither animations, style nor layout when the value changes', async () => {
    for (const flashStyle of ['step', 'fade'] as const) {
      const ui = (v: number) => <PriceFlash value={v} flashMs={300} flashStyle={flashStyle} />
      const screen = await render(ui(1))
      const spies = [
        vi.spyOn(Element.prototype, 'getAnimations'),
        vi.spyOn(Document.prototype, 'getAnimations'),
        vi.spyOn(window, 'getComputedStyle'),
        vi.spyOn(Element.prototype, 'getBoundingClientRect'),
        vi.spyOn(Element.prototype, 'getClientRects'),
      ]
      try {
        // Up, up again (the case that used to rewind through getAnimations), then down.
        for (const v of [2, 3, 2.5]) await screen.rerender(ui(v))
        // Past a frame, so anything scheduled after the commit (effects, rAF) has run too.
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))
        expect(flash().dataset['direction']).toBe('down')
        // And past the end of the flash: the sweep reads nothing either.
        await expect.poll(() => flash().dataset['direction'], { timeout: 2_000 }).toBe('none')
        for (const spy of spies) expect(spy).not.toHaveBeenCalled()
      } finally {
        for (const spy of spies) spy.mockRestore()
      }
      await screen.unmount()
    }
  })

  it('costs one commit per change: the end of the flash renders nothing', async () => {
    let commits = 0
    const ui = (v: number) => (
      <Profiler id="flash" onRender={() => (commits += 1)}>
        <PriceFlash value={v} flashMs={300} />
      </Profiler>
    )
    const screen = await render(ui(1))
    commits = 0
    await screen.rerender(ui(2))
    expect(flash().dataset['direction']).toBe('up')
    expect(commits).toBe(1)
    await expect.poll(() => flash().dataset['direction'], { timeout: 2_000 }).toBe('none')
    // Well past the end: the sweep wrote the DOM, React rendered nothing.
    await new Promise((done) => setTimeout(done, 200))
    expect(commits).toBe(1)
  })

  it('takes locale and fraction digits, or a format function', async () => {
    const screen = await render(
      <>
        <PriceFlash
          value={45012.5}
          locale="de-DE"
          minimumFractionDigits={2}
          maximumFractionDigits={2}
        />
        <PriceFlash value={0.000123456} locale="en-US" />
        <PriceFlash
          value={3.14159}
          locale="en-US"
          minimumFractionDigits={0}
          maximumFractionDigits={1}
        />
        <PriceFlash value={42} format={(v) => `$${v.toFixed(1)}`} />
        <PriceFlash value={undefined} />
        <PriceFlash value={null} placeholder="n/a" />
      </>,
    )
    void screen
    const texts = [...document.querySelectorAll('.tw-price-flash__value')].map((n) => n.textContent)
    expect(texts).toEqual(['45.012,50', '0.00012346', '3.1', '$42.0', '—', 'n/a'])
  })

  it('shows markup from a format function as inert text', async () => {
    const evil = '<img src=x onerror="window.__tw_pwned=1">'
    await render(<PriceFlash value={1} format={() => evil} />)
    expect(value()).toBe(evil)
    expect(flash().querySelector('img')).toBeNull()
    expect((window as unknown as Record<string, unknown>)['__tw_pwned']).toBeUndefined()
  })

  it('hides the arrow with arrow={false} (styles.css), but keeps data-direction', async () => {
    const screen = await render(<PriceFlash value={1} arrow={false} />)
    await screen.rerender(<PriceFlash value={2} arrow={false} />)
    expect(flash().dataset['direction']).toBe('up')
    expect(
      getComputedStyle(flash().querySelector('.tw-price-flash__arrow') as Element).display,
    ).toBe('none')
  })

  it('under reduced motion (data-tw-motion) does not animate and shows the arrow anyway', async () => {
    const screen = await render(
      <div data-tw-motion="reduce">
        <PriceFlash value={1} arrow={false} flashStyle="fade" />
      </div>,
    )
    await screen.rerender(
      <div data-tw-motion="reduce">
        <PriceFlash value={0.5} arrow={false} flashStyle="fade" />
      </div>,
    )
    expect(flash().dataset['direction']).toBe('down')
    expect(flash().getAnimations({ subtree: true })).toEqual([])
    expect(getComputedStyle(flash()).backgroundColor).toBe('rgba(0, 0, 0, 0)')
    // Shown (a flex item, so its display computes to block), and it names the direction.
    expect(
      getComputedStyle(flash().querySelector('.tw-price-flash__arrow') as Element).display,
    ).not.toBe('none')
    expect(arrow()).toBe('▼')
  })

  it('passes className, style, attributes and the ref to the root', async () => {
    const ref = createRef<HTMLSpanElement>()
    await render(
      <PriceFlash ref={ref} value={1} className="mine" style={{ fontSize: 20 }} title="price" />,
    )
    expect(ref.current).toBe(flash())
    expect(flash().className).toBe('tw-price-flash mine')
    expect(flash().style.fontSize).toBe('20px')
    expect(flash().style.getPropertyValue('--tw-flash-ms')).toBe('700ms')
    expect(flash().title).toBe('price')
  })
})

describe('PriceFlash (connected)', () => {
  function provider(symbols?: string[]) {
    const feed = createSimulatedFeed({
      connectDelayMs: 10,
      rate: 30,
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

  it('reads a symbol and flashes as it moves', async () => {
    const manager = provider()
    await render(
      <StreamProvider manager={manager}>
        <PriceFlash symbol="BTC-USD" locale="en-US" flashMs={2_000} />
      </StreamProvider>,
    )
    await expect.poll(() => value(), { timeout: 3_000 }).toMatch(/^\d{2,3},\d{3}\.\d{2}/)
    await expect.poll(() => flash().dataset['direction'], { timeout: 3_000 }).toMatch(/^(up|down)$/)
  })

  it('reads from the named connection with `connection`', async () => {
    const feed = createSimulatedFeed({ connectDelayMs: 10, rate: 30, updateShare: 1 })
    const manager = createStreamManager({
      connections: {
        news: { url: SIMULATED_URL, WebSocket: feed.WebSocket },
        prices: { url: SIMULATED_URL, WebSocket: feed.WebSocket },
      },
    })
    cleanups.push(() => {
      manager.destroy()
      feed.destroy()
    })
    await render(
      <StreamProvider manager={manager}>
        <PriceFlash symbol="SOL-USD" connection="prices" locale="en-US" />
      </StreamProvider>,
    )
    await expect.poll(() => value(), { timeout: 3_000 }).toMatch(/^\d+\.\d+$/)
    expect(manager.store.getState().prices['SOL-USD']?.connection).toBe('prices')
  })

  it('shows another field of the tick with `field`', async () => {
    const manager = provider()
    await render(
      <StreamProvider manager={manager}>
        <span data-testid="bid">
          <PriceFlash symbol="ETH-USD" field="bid" locale="en-US" maximumFractionDigits={2} />
        </span>
        <span data-testid="ask">
          <PriceFlash symbol="ETH-USD" field="ask" locale="en-US" maximumFractionDigits={2} />
        </span>
      </StreamProvider>,
    )
    const read = (id: string) =>
      page
        .getByTestId(id)
        .element()
        .textContent?.replace(/[^\d.]/g, '') ?? ''
    await expect.poll(() => read('bid'), { timeout: 3_000 }).not.toBe('')
    await expect.poll(() => read('ask'), { timeout: 3_000 }).not.toBe('')
    expect(Number(read('bid'))).toBeLessThanOrEqual(Number(read('ask')))
  })

  it('shows a row whose symbol is markup as inert text, its price streaming', async () => {
    const evil = '<img src=x onerror="window.__tw_pwned=1">'
    const manager = provider([evil, 'BTC-USD'])
    await render(
      <StreamProvider manager={manager}>
        <table>
          <tbody>
            <tr>
              <td data-testid="symbol">{evil}</td>
              <td>
                <PriceFlash symbol={evil} locale="en-US" />
              </td>
            </tr>
          </tbody>
        </table>
      </StreamProvider>,
    )
    await expect.poll(() => value(), { timeout: 3_000 }).toMatch(/^[\d,]+\.\d+$/)
    expect(page.getByTestId('symbol').element().textContent).toBe(evil)
    expect(document.querySelector('img')).toBeNull()
    expect((window as unknown as Record<string, unknown>)['__tw_pwned']).toBeUndefined()
  })
})
