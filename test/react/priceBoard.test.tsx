import { act, render } from '@testing-library/react'
import { memo, type ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import type { TransportDefinition, TransportHandlers } from '../../src/core/transports/types'
import { StreamProvider, usePrice, usePriceStream } from '../../src/react'

/**
 * A 10,000-cell board on a real manager, fed by an in-memory transport (snapshots answer the
 * subscribe frames, deltas are pushed by the test) with frames run by hand. Counts how often
 * the hooks read the store when one frame changes 50 prices: a hook must be told about its own
 * symbol only, so the work of a frame follows what changed, not how many cells there are.
 */
const CELLS = 10_000
const CHANGED = 50

function loopback() {
  let handlers: TransportHandlers | undefined
  const definition: TransportDefinition = {
    name: 'loopback',
    capabilities: { twoWay: true, symbols: 'frames' },
    open(_options, h) {
      handlers = h
      queueMicrotask(() => h.onOpen(''))
      return {
        send(frame) {
          const message = JSON.parse(String(frame)) as { type: string; symbols?: string[] }
          if (message.type !== 'subscribe') return
          const messages = (message.symbols ?? []).map((symbol) => ({
            type: 'snapshot',
            symbol,
            seq: 1,
            data: { price: 100 },
          }))
          h.onFrame(JSON.stringify({ type: 'batch', messages }))
        },
        close() {
          handlers = undefined
        },
      }
    },
  }
  return { definition, push: (frame: string) => handlers?.onFrame(frame) }
}

/** Frames run when the test says so. */
function manualFrames() {
  const pending: (() => void)[] = []
  return {
    requestFrame(callback: () => void) {
      pending.push(callback)
      return pending.length
    },
    cancelFrame(handle: unknown) {
      pending[(handle as number) - 1] = () => {}
    },
    run() {
      for (const callback of pending.splice(0)) callback()
    },
  }
}

let manager: StreamManager | undefined
afterEach(() => {
  manager?.destroy()
  manager = undefined
})

const symbols = Array.from({ length: CELLS }, (_, i) => `S${i}`)
let renders = 0

const Cell = memo(function Cell({ symbol }: { symbol: string }): ReactNode {
  renders += 1
  return <td>{usePrice(symbol)?.price ?? '…'}</td>
})

async function board(content: ReactNode) {
  const loop = loopback()
  const frames = manualFrames()
  manager = createStreamManager({
    url: 'loop://feed',
    transport: loop.definition,
    throttleMs: 0,
    staleAfterMs: 0,
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      setInterval: (callback, ms) => setInterval(callback, ms),
      clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
      now: () => Date.now(),
      requestFrame: frames.requestFrame,
      cancelFrame: frames.cancelFrame,
    },
  })
  const view = render(<StreamProvider manager={manager}>{content}</StreamProvider>)
  const store = manager.store
  // Subscribe frames go out in a microtask; the snapshots come back at once.
  for (let i = 0; i < 20 && Object.keys(store.getState().prices).length < CELLS; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0))
      frames.run()
    })
  }
  expect(Object.keys(store.getState().prices)).toHaveLength(CELLS)
  // Reads of the store from here on: every hook's snapshot goes through getState.
  let reads = 0
  const getState = store.getState
  store.getState = () => {
    reads += 1
    return getState()
  }
  const frame = async (seq: number) => {
    const messages = symbols
      .slice(0, CHANGED)
      .map((symbol) => ({ type: 'delta', symbol, seq, data: { price: 100 + seq } }))
    loop.push(JSON.stringify({ type: 'batch', messages }))
    reads = 0
    renders = 0
    await act(async () => frames.run())
    return { reads, renders }
  }
  return { view, frame, store }
}

describe('a 10,000-cell board', { timeout: 60_000 }, () => {
  it('a frame that changes 50 prices reads the store for those cells only', async () => {
    const { view, frame } = await board(
      <table>
        <tbody>
          <tr>
            {symbols.map((symbol) => (
              <Cell key={symbol} symbol={symbol} />
            ))}
          </tr>
        </tbody>
      </table>,
    )
    const first = await frame(2)
    expect(view.container.querySelector('td')?.textContent).toBe('102')
    console.log(`board frame: ${first.reads} store reads, ${first.renders} cell renders`)
    expect(first.renders).toBe(CHANGED)
    // Notified cells read their snapshot, then once or twice while re-rendering: a few per
    // changed cell, never one per cell on the board (which would be 10,000 or more).
    expect(first.reads).toBeGreaterThanOrEqual(CHANGED)
    expect(first.reads).toBeLessThanOrEqual(5 * CHANGED)
    const second = await frame(3)
    expect(second.reads).toBeLessThanOrEqual(5 * CHANGED)
    expect(view.container.querySelectorAll('td')[CHANGED - 1]?.textContent).toBe('103')
    expect(view.container.querySelectorAll('td')[CHANGED]?.textContent).toBe('100')
  })

  it('usePriceStream rows are told about their own symbols only', async () => {
    let rowRenders = 0
    const Row = memo(function Row({ row }: { row: number }): ReactNode {
      rowRenders += 1
      const { prices } = usePriceStream(symbols.slice(row * 10, row * 10 + 10))
      return (
        <tr>
          {Object.values(prices).map((tick, i) => (
            <td key={i}>{tick?.price}</td>
          ))}
        </tr>
      )
    })
    const { frame } = await board(
      <table>
        <tbody>
          {Array.from({ length: CELLS / 10 }, (_, row) => (
            <Row key={row} row={row} />
          ))}
        </tbody>
      </table>,
    )
    rowRenders = 0
    const { reads } = await frame(2)
    // 50 changed symbols are 5 rows of 10: each row is told once per changed symbol at most.
    expect(rowRenders).toBe(CHANGED / 10)
    expect(reads).toBeLessThanOrEqual(5 * CHANGED)
  })
})
