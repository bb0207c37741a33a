import { forwardRef, useMemo, useState, type CSSProperties, type HTMLAttributes } from 'react'
import type { PriceTick } from '../core/types'
import { usePrice, usePriceFlash } from '../react'
import { classNames } from './utils'

/** Numeric fields of a tick that `PriceFlash` can show by name. */
export type PriceField = 'price' | 'bid' | 'ask' | 'volume' | 'change24h' | 'high24h' | 'low24h'

/** Props of `PriceFlash` common to both modes; other attributes go to the root `span`. */
export interface PriceFlashCommonProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /**
   * How long `data-direction` stays `up` or `down` after a change, in ms; also the length
   * of the default flash animation. A new change restarts it.
   * @defaultValue 700
   */
  flashMs?: number
  /**
   * Locale of `Intl.NumberFormat`.
   * @defaultValue undefined (the browser's locale)
   */
  locale?: string | string[]
  /**
   * Fewest fraction digits shown.
   * @defaultValue 2
   */
  minimumFractionDigits?: number
  /**
   * Most fraction digits shown; small prices keep their precision up to this.
   * @defaultValue 8
   */
  maximumFractionDigits?: number
  /**
   * Formats the value instead of `Intl.NumberFormat`. Its result is shown as text, never
   * parsed as markup.
   * @defaultValue undefined
   */
  format?: (value: number) => string
  /**
   * Shows ▲ or ▼ beside the value while the flash lasts. Under `prefers-reduced-motion:
   * reduce` the default stylesheet shows the arrow even when this is false, since there is
   * no animation then.
   * @defaultValue true
   */
  arrow?: boolean
  /**
   * Shown while there is no value yet.
   * @defaultValue '—'
   */
  placeholder?: string
}

/** Connected mode: the component reads the symbol from the nearest `StreamProvider`. */
export interface PriceFlashConnectedProps extends PriceFlashCommonProps {
  /** Symbol to show; subscribed while mounted. */
  symbol: string
  /**
   * The tick field to show: a named field or any numeric key of the tick's `data`.
   * @defaultValue 'price'
   */
  field?: PriceField | (string & {})
  /**
   * Connection that serves the symbol, in an app with several.
   * @defaultValue 'default', or the only connection
   */
  connection?: string
  value?: never
}

/** Controlled mode: the component shows the value it is given. */
export interface PriceFlashControlledProps extends PriceFlashCommonProps {
  /** The value to show; `null` or `undefined` shows the placeholder. */
  value: number | null | undefined
  symbol?: never
  field?: never
  connection?: never
}

/** Props of `PriceFlash`: `symbol` (connected) or `value` (controlled). */
export type PriceFlashProps = PriceFlashConnectedProps | PriceFlashControlledProps

/**
 * A number that flashes green when it goes up and red when it goes down. The root carries
 * `data-direction="up" | "down"` for `flashMs` after a change, then `"none"`; the flash itself
 * is a CSS animation keyed on that attribute, so a change costs the render that shows the
 * new value and one that clears the direction, never one per animation frame. While the
 * direction shows, the root also carries `data-flash-parity="a" | "b"`, flipped by every
 * change: the default stylesheet picks one of two identical animations by it, which is how a
 * second change in the same direction restarts the flash without reading the DOM.
 *
 * @example
 * ```tsx
 * <PriceFlash symbol="BTC-USD" />                       // connected
 * <PriceFlash value={45012.5} locale="en-US" />         // controlled
 * <PriceFlash symbol="ETH-USD" field="bid" format={(v) => v.toFixed(1)} />
 * ```
 */
export const PriceFlash = forwardRef<HTMLSpanElement, PriceFlashProps>(
  function PriceFlash(props, ref) {
    if (props.symbol !== undefined) return <ConnectedPriceFlash {...props} ref={ref} />
    const { value, connection: _connection, ...rest } = props
    return <PriceFlashView {...rest} ref={ref} value={value ?? undefined} stale={undefined} />
  },
)

const ConnectedPriceFlash = forwardRef<HTMLSpanElement, PriceFlashConnectedProps>(
  function ConnectedPriceFlash(props, ref) {
    const { symbol, field = 'price', connection, value: _value, ...rest } = props
    const tick = usePrice(symbol, connection === undefined ? {} : { connection })
    return <PriceFlashView {...rest} ref={ref} value={readField(tick, field)} stale={tick?.stale} />
  },
)

/** A field of a tick as a finite number, or undefined. */
function readField(tick: PriceTick | undefined, field: string): number | undefined {
  if (tick === undefined) return undefined
  // Own keys only: a field named `constructor` must not reach Object.prototype.
  const named = Object.hasOwn(tick, field)
    ? (tick as unknown as Record<string, unknown>)[field]
    : undefined
  const value = named ?? (Object.hasOwn(tick.data, field) ? tick.data[field] : undefined)
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

interface PriceFlashViewProps extends PriceFlashCommonProps {
  value: number | undefined
  stale: boolean | undefined
}

const PriceFlashView = forwardRef<HTMLSpanElement, PriceFlashViewProps>(
  function PriceFlashView(props, ref) {
    const {
      value,
      stale,
      flashMs = 700,
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
    const direction = usePriceFlash(value, { flashMs })
    // A locale array literal is a new object every render: key the formatter by its contents
    // (BCP 47 tags never contain a comma). Empty means the browser's locale, as `[]` does.
    const localeKey = typeof locale === 'string' ? locale : (locale?.join(',') ?? '')
    const formatter = useMemo(
      () =>
        new Intl.NumberFormat(localeKey === '' ? undefined : localeKey.split(','), {
          minimumFractionDigits,
          // Intl throws when the maximum is below the minimum; the larger of the two wins.
          maximumFractionDigits: Math.max(minimumFractionDigits, maximumFractionDigits),
        }),
      [localeKey, minimumFractionDigits, maximumFractionDigits],
    )
    const text =
      value === undefined ? placeholder : format ? format(value) : formatter.format(value)

    const parity = useFlashParity(value)

    return (
      <span
        {...rest}
        ref={ref}
        className={classNames('tw-price-flash', className)}
        data-direction={direction ?? 'none'}
        data-flash-parity={direction === null ? undefined : parity}
        data-arrow={arrow ? 'true' : 'false'}
        data-stale={stale ? '' : undefined}
        style={{ ['--tw-flash-ms' as string]: `${flashMs}ms`, ...style } as CSSProperties}
      >
        <span className="tw-price-flash__value">{text}</span>
        <span className="tw-price-flash__arrow" aria-hidden="true">
          {direction === 'up' ? '▲' : direction === 'down' ? '▼' : ''}
        </span>
      </span>
    )
  },
)

/** Which of the two names of the flash animation the current flash uses. */
type FlashParity = 'a' | 'b'

/**
 * Flips on every change that starts a flash, in the render that shows the new value.
 *
 * A second change in the same direction leaves `data-direction` as it is, so the browser
 * would not restart the animation by itself. Asking for the running animations to rewind them
 * (`getAnimations()`) forces a style update and scans the document's animations once per
 * changed cell, which took most of the main thread of a 500-cell board. Instead the
 * stylesheet gives the flash two names with identical keyframes, picked by
 * `data-flash-parity`: changing `animation-name` restarts a CSS animation, and the flip is an
 * attribute write in the commit React makes anyway, so the browser picks it up in its next
 * ordinary style pass. Nothing reads style or layout.
 *
 * The condition is `usePriceFlash`'s own (both values finite and different), so the parity
 * flips exactly when that hook starts a new flash and restarts its clearing timer; the state
 * is adjusted while rendering, as there, so a flip costs no extra commit.
 */
function useFlashParity(value: number | undefined): FlashParity {
  const [seen, setSeen] = useState<{ value: number | undefined; parity: FlashParity }>(() => ({
    value,
    // The first flash gets 'a', whose name is the plain `tw-flash-up` / `tw-flash-down`.
    parity: 'b',
  }))
  if (!Object.is(seen.value, value)) {
    const flashes = isFiniteNumber(seen.value) && isFiniteNumber(value) && seen.value !== value
    const parity = flashes ? (seen.parity === 'a' ? 'b' : 'a') : seen.parity
    setSeen({ value, parity })
    return parity
  }
  return seen.parity
}

function isFiniteNumber(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value)
}
