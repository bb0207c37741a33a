/**
 * Variants `vanilla` and `vanilla-fade`: no React. Frames are decoded as they arrive and only
 * the latest price per symbol is kept; one requestAnimationFrame callback writes what changed
 * to the DOM and clears flashes that ended. The same markup, classes and stylesheet as
 * PriceFlash, so the same flash is drawn: with `step`, the tint is held and cleared in one step
 * (a change in the same direction only moves the deadline); with `fade`, the root carries
 * `data-flash-style="fade"` and a change flips `data-flash-parity`, which is what restarts the
 * fade in styles.css. This is the practical ceiling the others are measured against.
 */
import '../../../src/components/styles.css'
import './board.css'
import type { WireMessage } from './cells'
import { config, formatter, observeBoard, subscribeFrames, SYMBOLS } from './harness'

const FLASH_MS = 700

interface CellView {
  root: HTMLElement
  text: Text
  arrow: Text
  shown: number | undefined
  direction: 'up' | 'down' | 'none'
  parity: 'a' | 'b'
  flashUntil: number
}

function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag)
  node.className = className
  return node
}

/** One board cell with PriceFlash's markup, and what the frame loop keeps of it. */
function buildCell(symbol: string, flashStyle: 'step' | 'fade'): [HTMLElement, CellView] {
  const cell = el('div', 'cell')
  const sym = el('span', 'sym')
  sym.textContent = symbol
  const flash = el('span', 'tw-price-flash')
  flash.dataset.direction = 'none'
  flash.dataset.arrow = 'true'
  if (flashStyle === 'fade') flash.dataset.flashStyle = 'fade'
  flash.style.setProperty('--tw-flash-ms', `${FLASH_MS}ms`)
  const value = el('span', 'tw-price-flash__value')
  const text = document.createTextNode('—')
  value.append(text)
  const arrowSpan = el('span', 'tw-price-flash__arrow')
  arrowSpan.setAttribute('aria-hidden', 'true')
  const arrow = document.createTextNode('')
  arrowSpan.append(arrow)
  flash.append(value, arrowSpan)
  cell.append(sym, flash)
  const view: CellView = {
    root: flash,
    text,
    arrow,
    shown: undefined,
    direction: 'none',
    parity: 'b',
    flashUntil: 0,
  }
  return [cell, view]
}

/** Builds the board and connects; `flashStyle` is PriceFlash's prop of the same name. */
export function startVanillaBoard(flashStyle: 'step' | 'fade'): void {
  const root = document.getElementById('root') as HTMLElement
  observeBoard(root)
  const board = el('div', 'board')
  const cells = new Map<string, CellView>()
  for (const symbol of SYMBOLS) {
    const [element, view] = buildCell(symbol, flashStyle)
    board.append(element)
    cells.set(symbol, view)
  }
  root.append(board)

  /** Latest price per symbol since the last frame. */
  const latest = new Map<string, number>()
  const flashing = new Set<CellView>()
  let scheduled = false

  function frame(now: number): void {
    scheduled = false
    for (const [symbol, price] of latest) {
      const cell = cells.get(symbol)
      if (!cell || cell.shown === price) continue
      const previous = cell.shown
      cell.shown = price
      cell.text.data = formatter.format(price)
      if (previous === undefined) continue
      const direction = price > previous ? 'up' : 'down'
      if (direction !== cell.direction) {
        cell.direction = direction
        cell.root.dataset.direction = direction
        cell.arrow.data = direction === 'up' ? '▲' : '▼'
      }
      // Same direction again: the step is extended, the fade restarted by a new animation name.
      if (flashStyle === 'fade') {
        cell.parity = cell.parity === 'a' ? 'b' : 'a'
        cell.root.dataset.flashParity = cell.parity
      }
      cell.flashUntil = now + FLASH_MS
      flashing.add(cell)
    }
    latest.clear()
    for (const cell of flashing) {
      if (cell.flashUntil > now) continue
      cell.direction = 'none'
      cell.root.dataset.direction = 'none'
      if (flashStyle === 'fade') delete cell.root.dataset.flashParity
      cell.arrow.data = ''
      flashing.delete(cell)
    }
    if (flashing.size > 0) schedule()
  }

  function schedule(): void {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(frame)
  }

  let frames = 0
  window.__bench.framesIn = () => frames
  const socket = new WebSocket(config.wsUrl)
  socket.onopen = () => {
    for (const f of subscribeFrames(SYMBOLS)) socket.send(f)
  }
  socket.onmessage = (event: MessageEvent<string>) => {
    frames += 1
    const message = JSON.parse(event.data) as WireMessage
    const list = message.type === 'batch' ? (message.messages ?? []) : [message]
    for (const m of list) {
      if (
        (m.type === 'delta' || m.type === 'snapshot') &&
        m.symbol !== undefined &&
        typeof m.data?.price === 'number'
      ) {
        latest.set(m.symbol, m.data.price)
      }
    }
    window.__bench.appliedFrames += 1
    schedule()
  }
}
