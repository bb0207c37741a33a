import { useEffect, useState } from 'react'
import type { PriceDirection } from '../core/types'
import { holdFlash, releaseFlash, type FlashEntry } from './flashSweep'

/** Options of {@link usePriceFlash}. */
export interface UsePriceFlashOptions {
  /**
   * How long a direction is shown after a change, in ms; it clears at the first animation
   * frame after that. @defaultValue 700
   */
  flashMs?: number
}

/** A flash in progress; a new object per change so that the clearing restarts. */
interface Flash {
  direction: 'up' | 'down'
}

/**
 * `'up'` or `'down'` for `flashMs` after `value` rises or falls, `null` otherwise.
 *
 * The direction is worked out during the render that shows the new value (React's "adjust
 * state while rendering"), so a flash starts without an extra commit. The end is not a timer
 * per hook: one animation-frame loop shared by every flash on the page clears all that are due
 * in the same frame, so React batches their updates into one commit. A change during a flash
 * restarts it, and unmounting forgets it. The first value, an unchanged value and a non-finite
 * one (`undefined` while loading) do not flash.
 *
 * Returning the direction as state costs that one commit when flashes end. `PriceFlash` does
 * not use this hook: it writes the direction to the DOM and ends it there, without React.
 *
 * @example
 * ```tsx
 * function FlashingPrice({ symbol }: { symbol: string }) {
 *   const price = usePrice(symbol)?.price
 *   const flash = usePriceFlash(price, { flashMs: 500 })
 *   return <span className={flash ? `flash-${flash}` : undefined}>{price ?? '…'}</span>
 * }
 * ```
 */
export function usePriceFlash(
  value: number | null | undefined,
  options: UsePriceFlashOptions = {},
): PriceDirection {
  const { flashMs = 700 } = options
  const [previous, setPrevious] = useState(value)
  const [flash, setFlash] = useState<Flash | null>(null)

  if (!Object.is(previous, value)) {
    setPrevious(value)
    if (isFiniteNumber(previous) && isFiniteNumber(value) && previous !== value) {
      setFlash({ direction: value > previous ? 'up' : 'down' })
    }
  }

  useEffect(() => {
    if (flash === null) return undefined
    const entry: FlashEntry = {
      deadline: performance.now() + flashMs,
      end: () => setFlash(null),
    }
    holdFlash(entry)
    return () => releaseFlash(entry)
  }, [flash, flashMs])

  return flash?.direction ?? null
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}
