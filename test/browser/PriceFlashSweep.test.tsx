import { afterEach, describe, expect, it, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { Profiler, type ReactNode } from 'react'
import { PriceFlash } from '../../src/components'
import '../../src/components/styles.css'
import { heldFlashCount } from '../../src/react/flashSweep'

const cells = () => [...document.querySelectorAll<HTMLElement>('.tw-price-flash')]
const directions = () => new Set(cells().map((cell) => cell.dataset['direction']))

/** A board of `count` controlled cells showing `base + i`. */
function board(count: number, base: number, flashMs: number, onCommit?: () => void): ReactNode {
  const cellsOf = Array.from({ length: count }, (_, i) => (
    <PriceFlash key={i} value={base + i} flashMs={flashMs} locale="en-US" />
  ))
  return onCommit ? (
    <Profiler id="board" onRender={onCommit}>
      {cellsOf}
    </Profiler>
  ) : (
    cellsOf
  )
}

/** Resolves on the next animation frame, through the real rAF saved before any spy. */
const realFrame = window.requestAnimationFrame.bind(window)
const nextFrame = () => new Promise<number>((done) => realFrame(done))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('PriceFlash: the end of a flash', () => {
  it('ends every cell at the first animation frame after flashMs, in one sweep', async () => {
    const flashMs = 250
    const screen = await render(board(100, 1, flashMs))
    // Every end the sweep writes, with the frame it was seen in.
    const ends: { at: number; batch: number }[] = []
    let batch = 0
    const observer = new MutationObserver((records) => {
      batch += 1
      const at = performance.now()
      for (const r of records) {
        if ((r.target as HTMLElement).dataset['direction'] === 'none') ends.push({ at, batch })
      }
    })
    for (const cell of cells()) observer.observe(cell, { attributeFilter: ['data-direction'] })
    const changed = performance.now()
    await screen.rerender(board(100, 2, flashMs))
    expect(directions()).toEqual(new Set(['up']))
    try {
      await expect.poll(() => ends.length, { timeout: 3_000, interval: 10 }).toBe(100)
    } finally {
      observer.disconnect()
    }
    // Not before flashMs, all in one task (one mutation batch: one frame callback wrote them).
    for (const end of ends) expect(end.at - changed).toBeGreaterThanOrEqual(flashMs)
    expect(new Set(ends.map((e) => e.batch)).size).toBe(1)
    expect(directions()).toEqual(new Set(['none']))
    // Nothing left held, so the frame loop has stopped.
    expect(heldFlashCount()).toBe(0)
  })

  it('schedules no timer per cell: one animation frame at a time for all of them', async () => {
    const screen = await render(board(200, 1, 200))
    const setTimeoutSpy = vi.spyOn(window, 'setTimeout')
    const setIntervalSpy = vi.spyOn(window, 'setInterval')
    const rafSpy = vi.spyOn(window, 'requestAnimationFrame')
    let frames = 0
    let counting = true
    const count = () => {
      frames += 1
      if (counting) realFrame(count)
    }
    realFrame(count)
    await screen.rerender(board(200, 2, 200))
    expect(directions()).toEqual(new Set(['up']))
    // The 200 flashes of that commit asked for one frame (and one more per frame since, as the
    // sweep runs), not 200 timers or frames.
    expect(rafSpy.mock.calls.length).toBeGreaterThanOrEqual(1)
    expect(rafSpy.mock.calls.length).toBeLessThanOrEqual(frames + 1)
    while (directions().has('up')) await nextFrame()
    counting = false
    await nextFrame()
    expect(setTimeoutSpy).not.toHaveBeenCalled()
    expect(setIntervalSpy).not.toHaveBeenCalled()
    // One request per frame while anything flashes (a frame of slack for the counting loop).
    expect(rafSpy.mock.calls.length).toBeGreaterThan(1)
    expect(rafSpy.mock.calls.length).toBeLessThanOrEqual(frames + 1)
    // And none once every flash has ended.
    const settled = rafSpy.mock.calls.length
    for (let i = 0; i < 5; i++) await nextFrame()
    expect(rafSpy.mock.calls.length).toBe(settled)
  })

  it('makes no React commit when flashes end', async () => {
    let commits = 0
    const onCommit = () => void (commits += 1)
    const screen = await render(board(50, 1, 150, onCommit))
    commits = 0
    await screen.rerender(board(50, 2, 150, onCommit))
    expect(commits).toBe(1)
    await expect.poll(() => directions(), { timeout: 2_000 }).toEqual(new Set(['none']))
    for (let i = 0; i < 5; i++) await nextFrame()
    expect(commits).toBe(1)
  })

  it('forgets the flash of a cell that unmounts mid-flash', async () => {
    const screen = await render(board(10, 1, 5_000))
    await screen.rerender(board(10, 2, 5_000))
    expect(heldFlashCount()).toBe(10)
    await screen.rerender(board(3, 2, 5_000))
    expect(heldFlashCount()).toBe(3)
    await screen.unmount()
    expect(heldFlashCount()).toBe(0)
  })

  it('builds one Intl.NumberFormat for every cell with the same locale and digits', async () => {
    const Original = Intl.NumberFormat
    let built = 0
    class Counting extends Original {
      constructor(...args: ConstructorParameters<typeof Intl.NumberFormat>) {
        super(...args)
        built += 1
      }
    }
    Object.defineProperty(Intl, 'NumberFormat', { value: Counting, configurable: true })
    // Digits no other test uses, so the shared cache has no entry for them yet.
    const screen = await render(
      Array.from({ length: 40 }, (_, i) => (
        <PriceFlash
          key={i}
          value={i + 0.5}
          locale={['en-GB']}
          minimumFractionDigits={3}
          maximumFractionDigits={7}
        />
      )),
    )
    Object.defineProperty(Intl, 'NumberFormat', { value: Original, configurable: true })
    expect(cells()[39]?.querySelector('.tw-price-flash__value')?.textContent).toBe('39.500')
    expect(built).toBe(1)
    // A second board with the same props builds none.
    await screen.unmount()
  })
})
