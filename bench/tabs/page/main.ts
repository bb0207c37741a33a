/**
 * One tab of the N-tab bench (bench/tabs/run.ts): a board of price cells fed by a manager on
 * the engine the URL names (`?feed=ws://…&engine=shared|main&symbols=A,B,…`). Each store write
 * sets the text of the cells whose price changed, so a tab's main-thread time is what one
 * tab of an app pays: the store write, the selectors and the DOM.
 */
import { createStreamManager, type StreamState } from '../../../src/core/index'

/** What the bench reads through `page.evaluate`. */
export interface TabsProbe {
  /** The board shows a price for every symbol. */
  ready(): boolean
  writes: number
}

declare global {
  interface Window {
    __tabs: TabsProbe
  }
}

const params = new URLSearchParams(location.search)
const symbols = (params.get('symbols') ?? '').split(',').filter(Boolean)
const engine = params.get('engine') === 'main' ? 'main' : 'shared'
const manager = createStreamManager({
  url: params.get('feed') ?? '',
  engine,
  sharedName: params.get('name') ?? 'tickwire-bench-tabs',
  // The default throttle, as an app would run it.
})

const board = document.getElementById('board') as HTMLTableElement
const cells = new Map<string, HTMLTableCellElement>()
for (const symbol of symbols) {
  const row = board.insertRow()
  row.insertCell().textContent = symbol
  cells.set(symbol, row.insertCell())
}

const probe: TabsProbe = {
  writes: 0,
  ready: () => {
    const { prices } = manager.store.getState()
    return symbols.every((symbol) => prices[symbol] !== undefined)
  },
}
window.__tabs = probe

manager.store.subscribe((state: StreamState, prev: StreamState) => {
  probe.writes++
  if (state.prices === prev.prices) return
  for (const symbol of symbols) {
    const tick = state.prices[symbol]
    if (tick && tick !== prev.prices[symbol]) {
      const cell = cells.get(symbol)
      if (cell) cell.textContent = tick.price.toFixed(2)
    }
  }
})
manager.subscribe(symbols)
