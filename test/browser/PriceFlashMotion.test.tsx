import { afterEach, describe, expect, it } from 'vitest'
import { cdp } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import type { ReactNode } from 'react'
import { PriceFlash, type PriceFlashControlledProps } from '../../src/components'
import '../../src/components/styles.css'

const flash = () => document.querySelector<HTMLElement>('.tw-price-flash') as HTMLElement
const arrowSpan = () => flash().querySelector('.tw-price-flash__arrow') as HTMLElement
const animations = () => flash().getAnimations({ subtree: true })
const TRANSPARENT = 'rgba(0, 0, 0, 0)'

/** Emulates `prefers-reduced-motion` for the page through the DevTools protocol. */
async function emulateReducedMotion(value: 'reduce' | 'no-preference'): Promise<void> {
  await cdp().send('Emulation.setEmulatedMedia', {
    features: [{ name: 'prefers-reduced-motion', value }],
  })
}

afterEach(async () => {
  await cdp().send('Emulation.setEmulatedMedia', { features: [] })
})

/** Renders `wrap(cell(1))`, then changes the value to 0.5 (a fall). */
async function flashDown(
  props: Omit<PriceFlashControlledProps, 'value'>,
  wrap: (cell: ReactNode) => ReactNode = (cell) => cell,
): Promise<void> {
  const screen = await render(wrap(<PriceFlash value={1} flashMs={2_000} {...props} />))
  await screen.rerender(wrap(<PriceFlash value={0.5} flashMs={2_000} {...props} />))
  expect(flash().dataset['direction']).toBe('down')
}

describe('PriceFlash and reduced motion', () => {
  it('fades and tints without a motion preference (the control case)', async () => {
    await emulateReducedMotion('no-preference')
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches).toBe(false)
    await flashDown({ flashStyle: 'fade', arrow: false })
    expect(animations()).toHaveLength(1)
    expect(getComputedStyle(arrowSpan()).display).toBe('none')
  })

  it('under an emulated prefers-reduced-motion: no fade, no tint, the arrow shown', async () => {
    await emulateReducedMotion('reduce')
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches).toBe(true)
    await flashDown({ flashStyle: 'fade', arrow: false })
    expect(animations()).toEqual([])
    expect(getComputedStyle(flash()).backgroundColor).toBe(TRANSPARENT)
    expect(getComputedStyle(arrowSpan()).display).not.toBe('none')
    expect(arrowSpan().textContent).toBe('▼')
  })

  it('under an emulated prefers-reduced-motion the step flash has no tint either', async () => {
    await emulateReducedMotion('reduce')
    await flashDown({})
    expect(animations()).toEqual([])
    expect(getComputedStyle(flash()).backgroundColor).toBe(TRANSPARENT)
    // The direction still shows, in the text colour and the arrow.
    expect(getComputedStyle(flash()).color).not.toBe(getComputedStyle(document.body).color)
    expect(arrowSpan().textContent).toBe('▼')
  })

  it('with reducedMotion on the component, whatever the media query says', async () => {
    await emulateReducedMotion('no-preference')
    await flashDown({ flashStyle: 'fade', arrow: false, reducedMotion: true })
    expect(flash().dataset['twMotion']).toBe('reduce')
    expect(animations()).toEqual([])
    expect(getComputedStyle(flash()).backgroundColor).toBe(TRANSPARENT)
    expect(getComputedStyle(arrowSpan()).display).not.toBe('none')
  })

  it('keeps a data-tw-motion attribute passed straight to the root', async () => {
    await flashDown({ flashStyle: 'fade', ...{ 'data-tw-motion': 'reduce' } })
    expect(flash().dataset['twMotion']).toBe('reduce')
    expect(animations()).toEqual([])
  })
})

describe('PriceFlash: choosing the fade with --tw-flash-style', () => {
  const themed = (cell: ReactNode) => (
    <div style={{ ['--tw-flash-style' as string]: 'fade' }}>{cell}</div>
  )

  it('fades every cell below an element that sets the variable', async () => {
    await flashDown({}, themed)
    expect(animations().map((a) => (a as CSSAnimation).animationName)).toEqual(['tw-flash-fade'])
    expect(getComputedStyle(flash()).backgroundColor).toBe(TRANSPARENT)
  })

  it('lets the flashStyle prop win over the variable', async () => {
    await flashDown({ flashStyle: 'step' }, themed)
    expect(animations()).toEqual([])
    expect(getComputedStyle(flash()).backgroundColor).not.toBe(TRANSPARENT)
  })
})
