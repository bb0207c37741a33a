import {
  forwardRef,
  useMemo,
  useSyncExternalStore,
  type HTMLAttributes,
  type ReactNode,
} from 'react'
import { selectPrice } from '../core/prices/store'
import type { PriceTick } from '../core/types'
import { usePriceListener, useStreamManager } from '../react'
import { usePriceFlashView, type ForwardedRefProp, type ShownPrice } from './usePriceFlashView'

/** How the background tint of a flash ends; see {@link PriceFlashCommonProps.flashStyle}. */
export type PriceFlashStyle = 'step' | 'fade'

/** Numeric fields of a tick that `PriceFlash` can show by name. */
export type PriceField = 'price' | 'bid' | 'ask' | 'volume' | 'change24h' | 'high24h' | 'low24h'

/** Props of `PriceFlash` common to both modes; other attributes go to the root `span`. */
export interface PriceFlashCommonProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /**
   * How long `data-direction` stays `up` or `down` after a change, in ms: the tint is held
   * that long (or fades over it, with `flashStyle="fade"`) and cleared at the first animation
   * frame after it. A new change restarts it.
   * @defaultValue 700
   */
  flashMs?: number
  /**
   * How the tint ends. `'step'` holds it for `flashMs` and clears it in one step, so a cell
   * repaints when its value changes and once when the tint ends, never in between: the cost
   * follows the changes, not the frames. `'fade'` fades it out over `flashMs` through the
   * opacity of an overlay, which the compositor can run without repainting the cell, but still
   * costs more per frame (see docs/components/PriceFlash.md for measured figures). Left unset,
   * the CSS variable `--tw-flash-style: fade` on an ancestor picks the fade (in browsers with
   * style container queries), and the step is used otherwise.
   * @defaultValue undefined (`--tw-flash-style`, else `'step'`)
   */
  flashStyle?: PriceFlashStyle
  /**
   * Turns motion off for this cell as `prefers-reduced-motion: reduce` does for the page: no
   * tint and no animation, the direction shown by the text colour and the arrow for `flashMs`.
   * Also on for every cell under an ancestor with `data-tw-motion="reduce"`.
   * @defaultValue false (follows the media query)
   */
  reducedMotion?: boolean
  /**
   * Locale of `Intl.NumberFormat`. Cells with the same locale and digits share one formatter.
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
   * Shows ▲ or ▼ beside the value while the flash lasts. Under reduced motion (the media
   * query, `reducedMotion` or `data-tw-motion="reduce"`) the default stylesheet shows the arrow
   * even when this is false, since there is no tint then.
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
 * `data-direction="up" | "down"` for `flashMs` after a change, then `"none"`, and
 * `data-flash-parity="a" | "b"` while a flash shows, flipped by every change (the fade uses it
 * to restart). Both are written to the DOM when the value changes and cleared by one
 * animation-frame sweep shared by every cell, so the end of a flash costs no render, no commit
 * and no timer. In connected mode a tick costs no React render either: the cell listens to its
 * symbol (`usePriceListener`) and writes the text, `data-stale` and the flash to its own DOM;
 * React renders it for its props, on mount and in server rendering and hydration. In
 * controlled mode a change costs the one render that shows the new value.
 *
 * The default flash (`flashStyle="step"`) is a tint held for `flashMs` and cleared in one step:
 * a cell repaints when it changes and when the tint ends. `flashStyle="fade"` (or the CSS
 * variable `--tw-flash-style: fade`) fades the tint instead. Under reduced motion (the media
 * query, `reducedMotion`, or `data-tw-motion="reduce"` on an ancestor) there is no tint; the
 * direction shows as text colour and arrow.
 *
 * @example
 * ```tsx
 * <PriceFlash symbol="BTC-USD" />                       // connected
 * <PriceFlash value={45012.5} locale="en-US" />         // controlled
 * <PriceFlash symbol="ETH-USD" field="bid" format={(v) => v.toFixed(1)} flashStyle="fade" />
 * ```
 */
export const PriceFlash = forwardRef<HTMLSpanElement, PriceFlashProps>(
  function PriceFlash(props, ref) {
    // One layer below this one in either mode: the mode can change between renders, and the
    // connected one needs a provider, so each mode is its own component with its own hooks.
    if (props.symbol !== undefined) return <ConnectedPriceFlash {...props} forwardedRef={ref} />
    return <ControlledPriceFlash {...props} forwardedRef={ref} />
  },
)

function ConnectedPriceFlash(props: PriceFlashConnectedProps & ForwardedRefProp): ReactNode {
  const { symbol, field = 'price', connection, value: _value, ...rest } = props
  const manager = useStreamManager('PriceFlash')
  const store = manager.store
  // The tick of this render, never a subscription: a tick reaches the DOM through the listener
  // below, not through a render. During server rendering and hydration it is the store's
  // initial state, as `usePrice` reads it, so the hydrated markup matches the server's; the
  // commit after hydration then writes the client's current tick.
  const read = useMemo(() => selectPrice(symbol), [symbol])
  const tick = useSyncExternalStore(
    neverNotifies,
    () => read(store.getState()),
    () => read(store.getInitialState()),
  )
  const view = usePriceFlashView(rest, shownOf(tick, field), () =>
    shownOf(read(store.getState()), field),
  )
  usePriceListener(
    symbol,
    (next) => view.write(shownOf(next, field)),
    connection === undefined ? {} : { connection },
  )
  return view.node
}

function ControlledPriceFlash(props: PriceFlashControlledProps & ForwardedRefProp): ReactNode {
  const { value, symbol: _symbol, field: _field, connection: _connection, ...rest } = props
  return usePriceFlashView(rest, { value: value ?? undefined, stale: false }).node
}

/** The tick's subscription for rendering: none, ticks are written by the listener. */
function neverNotifies(): () => void {
  return noop
}

function noop(): void {}

/** What a cell shows for `tick`. */
function shownOf(tick: PriceTick | undefined, field: string): ShownPrice {
  return { value: readField(tick, field), stale: tick?.stale === true }
}

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
