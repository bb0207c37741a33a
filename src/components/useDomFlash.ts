import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react'
import { flashClock, holdFlash, releaseFlash, type FlashEntry } from '../react/flashSweep'

/** Which of the two names of the fade animation the current flash uses. */
type FlashParity = 'a' | 'b'

/** What one `PriceFlash` knows about its flash; only this code writes the attributes it names. */
interface DomFlash extends FlashEntry {
  /** The value the last flash was worked out from. */
  shown: number | undefined
  /** The direction written to `data-direction`, kept here so nothing reads the DOM. */
  direction: 'up' | 'down' | 'none'
  parity: FlashParity
  root: HTMLElement | null
  arrow: HTMLElement | null
  /** The arrow's one text node, made at the first flash; later flashes only set its data. */
  arrowText: Text | null
}

// Layout effects warn during server rendering in React 18; there is no DOM to write there.
const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

/**
 * Writes a flash straight to the DOM of the element that holds `arrowRef`: `data-direction`, `data-flash-parity` and the arrow,
 * set in the commit that shows a changed value (a layout effect, so in the same frame) and
 * cleared by the page's one flash sweep (react/flashSweep.ts) at the first frame after
 * `flashMs`. React renders the resting state once and never sees the flash, so the end of a
 * flash costs no render and no commit, and no timer per cell.
 *
 * Nothing here reads layout, style or animations: the previous value, the direction shown and
 * the parity live in a ref. A change in the same direction flips `data-flash-parity`, which the
 * fade style uses to restart its animation (a new `animation-name` restarts a CSS animation);
 * the step style only moves the deadline.
 *
 * The first value, an unchanged one and a non-finite one (`undefined` while loading) do not
 * flash, as in `usePriceFlash`.
 */
export function useDomFlash(
  arrowRef: RefObject<HTMLElement | null>,
  value: number | undefined,
  flashMs: number,
): void {
  const ref = useRef<DomFlash | null>(null)
  if (ref.current === null) ref.current = createDomFlash(value)
  const flash = ref.current

  useClientLayoutEffect(() => {
    const previous = flash.shown
    flash.shown = value
    // The root is the arrow's parent: one ref, so the caller's forwarded ref goes to the root
    // as it is. A tree read, not a layout or style one.
    flash.arrow = arrowRef.current
    flash.root = flash.arrow?.parentElement ?? null
    if (!isFiniteNumber(previous) || !isFiniteNumber(value) || previous === value) return
    if (flash.root === null) return
    const direction = value > previous ? 'up' : 'down'
    // The first flash gets 'a', then every change flips it (see the fade rules in styles.css).
    flash.parity = flash.parity === 'a' ? 'b' : 'a'
    flash.root.setAttribute('data-flash-parity', flash.parity)
    if (direction !== flash.direction) {
      flash.direction = direction
      flash.root.setAttribute('data-direction', direction)
      setArrow(flash, direction === 'up' ? '▲' : '▼')
    }
    flash.deadline = flashClock() + flashMs
    holdFlash(flash)
  }, [value, flashMs])

  // Unmounting forgets a flash in progress; a remount (StrictMode) starts from rest.
  useClientLayoutEffect(
    () => () => {
      releaseFlash(flash)
    },
    [],
  )
}

function createDomFlash(value: number | undefined): DomFlash {
  const flash: DomFlash = {
    shown: value,
    direction: 'none',
    // Flipped before the first flash, which therefore gets 'a'.
    parity: 'b',
    root: null,
    arrow: null,
    arrowText: null,
    deadline: 0,
    end() {
      flash.direction = 'none'
      flash.root?.setAttribute('data-direction', 'none')
      flash.root?.removeAttribute('data-flash-parity')
      setArrow(flash, '')
    },
  }
  return flash
}

/** Shows `text` in the arrow. React renders the arrow empty, so this node is ours alone. */
function setArrow(flash: DomFlash, text: string): void {
  if (flash.arrowText === null) {
    if (flash.arrow === null || text === '') return
    flash.arrowText = document.createTextNode(text)
    flash.arrow.append(flash.arrowText)
  } else {
    flash.arrowText.data = text
  }
}

function isFiniteNumber(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value)
}
