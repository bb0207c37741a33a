import { useEffect, useLayoutEffect, useState, type RefObject } from 'react'
import { flashClock, holdFlash, releaseFlash, type FlashEntry } from '../react/flashSweep'

/** Which of the two names of the fade animation the current flash uses. */
type FlashParity = 'a' | 'b'

/** Starts flashes on one `PriceFlash`'s DOM; see {@link useDomFlash}. */
export interface DomFlash {
  /**
   * Shows that the value is now `value`: flashes up or down when it moved from a finite value
   * to another one, does nothing when it did not. Safe to call again with the same value.
   */
  to(value: number | undefined): void
}

/** What one `PriceFlash` knows about its flash; only this code writes the attributes it names. */
interface FlashState extends FlashEntry, DomFlash {
  /** The value the last flash was worked out from. */
  shown: number | undefined
  /** The direction written to `data-direction`, kept here so nothing reads the DOM. */
  direction: 'up' | 'down' | 'none'
  parity: FlashParity
  flashMs: number
  root: HTMLElement | null
  arrow: HTMLElement | null
  /** The arrow's one text node, made at the first flash; later flashes only set its data. */
  arrowText: Text | null
  /** Takes the nodes of this commit and the duration of the next flash. */
  attach(arrow: HTMLElement | null, flashMs: number): void
}

/**
 * `useLayoutEffect` in the browser, `useEffect` where there is no DOM: layout effects warn
 * during server rendering in React 18, and there is nothing to write there anyway.
 */
export const useClientLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

/**
 * Writes a flash straight to the DOM of the element that holds `arrowRef`: `data-direction`,
 * `data-flash-parity` and the arrow, set when the caller reports a changed value through the
 * returned {@link DomFlash.to} (from a layout effect, or from a tick listener outside React)
 * and cleared by the page's one flash sweep (react/flashSweep.ts) at the first frame after
 * `flashMs`. React renders the resting state once and never sees the flash, so the end of a
 * flash costs no render and no commit, and no timer per cell.
 *
 * Nothing here reads layout, style or animations: the previous value, the direction shown and
 * the parity live in a ref. A change in the same direction flips `data-flash-parity`, which the
 * fade style uses to restart its animation (a new `animation-name` restarts a CSS animation);
 * the step style only moves the deadline.
 *
 * The first value, an unchanged one and a non-finite one (`undefined` while loading) do not
 * flash, as in `usePriceFlash`. Calls before the first commit (no DOM yet) only record the value.
 */
export function useDomFlash(arrowRef: RefObject<HTMLElement | null>, flashMs: number): DomFlash {
  // One object for the component's life, mutated outside render only (effects, listeners).
  const [flash] = useState(createFlashState)

  // Every commit, before the caller's effects: the nodes (a remount may bring new ones) and the
  // duration a flash started from outside React should use.
  useClientLayoutEffect(() => {
    flash.attach(arrowRef.current, flashMs)
  })

  // Unmounting forgets a flash in progress; a remount (StrictMode) starts from rest.
  useClientLayoutEffect(
    () => () => {
      releaseFlash(flash)
    },
    [],
  )
  return flash
}

function createFlashState(): FlashState {
  const flash: FlashState = {
    shown: undefined,
    direction: 'none',
    // Flipped before the first flash, which therefore gets 'a'.
    parity: 'b',
    flashMs: 0,
    root: null,
    arrow: null,
    arrowText: null,
    deadline: 0,
    attach(arrow, flashMs) {
      // The root is the arrow's parent: one ref, so the caller's forwarded ref goes to the root
      // as it is. A tree read, not a layout or style one.
      flash.arrow = arrow
      flash.root = arrow?.parentElement ?? null
      flash.flashMs = flashMs
    },
    to(value) {
      const previous = flash.shown
      flash.shown = value
      if (!isFiniteNumber(previous) || !isFiniteNumber(value) || previous === value) return
      if (flash.root === null) return
      start(flash, flash.root, value > previous ? 'up' : 'down')
    },
    end() {
      flash.direction = 'none'
      flash.root?.setAttribute('data-direction', 'none')
      flash.root?.removeAttribute('data-flash-parity')
      setArrow(flash, '')
    },
  }
  return flash
}

function start(flash: FlashState, root: HTMLElement, direction: 'up' | 'down'): void {
  // The first flash gets 'a', then every change flips it (see the fade rules in styles.css).
  flash.parity = flash.parity === 'a' ? 'b' : 'a'
  root.setAttribute('data-flash-parity', flash.parity)
  if (direction !== flash.direction) {
    flash.direction = direction
    root.setAttribute('data-direction', direction)
    setArrow(flash, direction === 'up' ? '▲' : '▼')
  }
  flash.deadline = flashClock() + flash.flashMs
  holdFlash(flash)
}

/** Shows `text` in the arrow. React renders the arrow empty, so this node is ours alone. */
function setArrow(flash: FlashState, text: string): void {
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
