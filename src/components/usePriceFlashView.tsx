import { useMemo, useRef, type CSSProperties, type ForwardedRef, type ReactNode } from 'react'
import { localeKey, priceFormat } from './formatPrice'
import type { PriceFlashCommonProps } from './PriceFlash'
import { useClientLayoutEffect, useDomFlash } from './useDomFlash'
import { classNames } from './utils'

/** The forwarded ref of `PriceFlash`, passed down to the mode's component as a prop. */
export interface ForwardedRefProp {
  forwardedRef: ForwardedRef<HTMLSpanElement>
}

/** What a cell shows: the value (`undefined` for the placeholder) and whether it may be old. */
export interface ShownPrice {
  value: number | undefined
  stale: boolean
}

/** The markup of a `PriceFlash` and the way to change what it shows without React. */
export interface PriceFlashView {
  node: ReactNode
  /**
   * Writes `shown` straight to the rendered DOM: the value's text, `data-stale`, and a flash
   * when the value moved. No React render; a no-op before the first commit.
   */
  write(shown: ShownPrice): void
}

/**
 * The markup of both modes, as a hook rather than a third component layer. React renders the
 * text and the resting attributes from `rendered`; `useDomFlash` owns `data-direction` after
 * the first render, `data-flash-parity` and the arrow's text (React renders
 * `data-direction="none"` once and, as the prop never changes, never writes it again).
 *
 * Without `current` (controlled mode) each commit reports the rendered value to the flash.
 * With it (connected mode) each commit writes what `current` returns instead: ticks reach the
 * DOM through {@link PriceFlashView.write} between renders, so the DOM may be newer than the
 * rendered value, and a render started before a tick may commit after it; writing the latest
 * keeps text and flash on the newest value and never flashes back to an older one.
 */
export function usePriceFlashView(
  props: PriceFlashCommonProps & ForwardedRefProp,
  rendered: ShownPrice,
  current?: () => ShownPrice,
): PriceFlashView {
  const {
    forwardedRef,
    flashMs = 700,
    flashStyle,
    reducedMotion = false,
    locale,
    minimumFractionDigits = 2,
    maximumFractionDigits = 8,
    format,
    arrow = true,
    placeholder = '—',
    className,
    style,
    ...rest
  } = props
  const key = localeKey(locale)
  const formatter = useMemo(
    () => (format ? null : priceFormat(key, minimumFractionDigits, maximumFractionDigits)),
    [format, key, minimumFractionDigits, maximumFractionDigits],
  )
  const textOf = (value: number | undefined): string =>
    value === undefined ? placeholder : format ? format(value) : (formatter?.format(value) ?? '')

  const valueRef = useRef<HTMLSpanElement | null>(null)
  const arrowRef = useRef<HTMLSpanElement | null>(null)
  const flash = useDomFlash(arrowRef, flashMs)

  const write = (shown: ShownPrice): void => {
    const valueNode = valueRef.current
    const root = valueNode?.parentElement
    if (!valueNode || !root) return
    setText(valueNode, textOf(shown.value))
    // Attribute and text reads are DOM tree reads: no style or layout is computed for them.
    if (root.hasAttribute('data-stale') !== shown.stale) {
      root.toggleAttribute('data-stale', shown.stale)
    }
    flash.to(shown.value)
  }

  useClientLayoutEffect(() => {
    if (current === undefined) flash.to(rendered.value)
    else write(current())
  })

  const node = (
    <span
      {...rest}
      ref={forwardedRef}
      className={classNames('tw-price-flash', className)}
      data-direction="none"
      data-flash-style={flashStyle}
      // Only when asked: an undefined here would drop a `data-tw-motion` passed as an attribute.
      {...(reducedMotion ? { 'data-tw-motion': 'reduce' } : {})}
      data-arrow={arrow ? 'true' : 'false'}
      data-stale={rendered.stale ? '' : undefined}
      style={{ ['--tw-flash-ms' as string]: `${flashMs}ms`, ...style } as CSSProperties}
    >
      <span ref={valueRef} className="tw-price-flash__value">
        {textOf(rendered.value)}
      </span>
      <span ref={arrowRef} className="tw-price-flash__arrow" aria-hidden="true" />
    </span>
  )
  return { node, write }
}

/**
 * Sets the text of the value's span. React renders it as the span's one text node and updates
 * that node in place, so writing the node's data is what React itself would do; React writes it
 * again only when its own rendered text changes, and then writes the latest value too.
 */
function setText(element: HTMLElement, text: string): void {
  const node = element.firstChild
  if (node !== null && node === element.lastChild && node.nodeType === Node.TEXT_NODE) {
    const textNode = node as Text
    if (textNode.data !== text) textNode.data = text
  } else if (element.textContent !== text) {
    element.textContent = text
  }
}
