import { act, render } from '@testing-library/react'
import { Profiler, StrictMode, type ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createStreamManager } from '../../src/core/manager'
import { applyDiff } from '../../src/core/prices/diff'
import type { StreamManager } from '../../src/core/stream-manager'
import type { PriceTick } from '../../src/core/types'
import { StreamProvider, usePrice, usePriceListener, type PriceListener } from '../../src/react'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket, countingTimers, framesOfType } from './support'

let server: TestServer
const managers: StreamManager[] = []

beforeEach(async () => {
  server = await createTestServer()
})

afterEach(async () => {
  for (const manager of managers.splice(0)) manager.destroy()
  await server.close()
})

/** A manager whose frames run only when the test flushes them, so "per tick" is exact. */
function makeManager(): { manager: StreamManager; flush: () => void } {
  const timers = countingTimers({ manualFrames: true })
  const manager = createStreamManager({
    url: server.url,
    WebSocket,
    timers,
    throttleMs: 0,
    unsubscribeDelayMs: 0,
  })
  managers.push(manager)
  return { manager, flush: () => act(() => void timers.flushFrames()) }
}

/** Sends deltas and waits until the manager has read all of them (frames not yet flushed). */
async function send(manager: StreamManager, ...deltas: [string, number][]): Promise<void> {
  const expected = manager.getStats().messagesIn + deltas.length
  for (const [symbol, price] of deltas) server.send(server.delta(symbol, { price }))
  await server.waitFor(() => manager.getStats().messagesIn === expected)
}

const prices = (calls: Parameters<PriceListener>[]): [number | undefined, number | undefined][] =>
  calls.map(([tick, previous]) => [tick?.price, previous?.price])

function Listening(props: { symbol: string; listener: PriceListener }): ReactNode {
  usePriceListener(props.symbol, props.listener)
  return null
}

describe('usePriceListener', () => {
  it('calls the listener with (tick, previous) for its symbol only, and never renders per tick', async () => {
    const { manager, flush } = makeManager()
    const calls: Parameters<PriceListener>[] = []
    let commits = 0
    render(
      <StreamProvider manager={manager}>
        <Profiler id="listener" onRender={() => (commits += 1)}>
          <Listening symbol="BTC-USD" listener={(...args) => calls.push(args)} />
        </Profiler>
        <Listening symbol="ETH-USD" listener={() => undefined} />
      </StreamProvider>,
    )
    // The snapshots of both symbols (price 100).
    await server.waitFor(() => manager.getStats().messagesIn === 2)
    flush()
    expect(prices(calls)).toEqual([[100, undefined]])

    commits = 0
    await send(manager, ['BTC-USD', 101], ['ETH-USD', 5])
    flush()
    await send(manager, ['ETH-USD', 6])
    flush()
    await send(manager, ['BTC-USD', 102])
    flush()
    // One call per BTC change (ETH's frame alone calls nothing), each with the tick before it.
    expect(prices(calls)).toEqual([
      [100, undefined],
      [101, 100],
      [102, 101],
    ])
    expect(calls.at(-1)?.[1]).toBe(calls.at(-2)?.[0])
    expect(commits).toBe(0)
  })

  it('calls the latest listener, and a new inline listener each render does not resubscribe', async () => {
    const { manager, flush } = makeManager()
    const storeSubscribe = vi.spyOn(manager.store, 'subscribe')
    const managerSubscribe = vi.spyOn(manager, 'subscribe')
    const seen: string[] = []
    const ui = (name: string): ReactNode => (
      <StreamProvider manager={manager}>
        <Listening symbol="BTC-USD" listener={(tick) => seen.push(`${name} ${tick?.price}`)} />
      </StreamProvider>
    )
    const view = render(ui('first'))
    await server.waitFor(() => manager.getStats().messagesIn === 1)
    flush()
    const attached = storeSubscribe.mock.calls.length
    const wanted = managerSubscribe.mock.calls.length
    for (const name of ['second', 'third']) view.rerender(ui(name))
    await send(manager, ['BTC-USD', 101])
    flush()
    expect(seen).toEqual(['first 100', 'third 101'])
    expect(storeSubscribe.mock.calls.length).toBe(attached)
    expect(managerSubscribe.mock.calls.length).toBe(wanted)
    expect(framesOfType(server.received, 'subscribe')).toHaveLength(1)
  })

  it('stops calling on unmount and releases the symbol', async () => {
    const { manager, flush } = makeManager()
    const listener = vi.fn<PriceListener>()
    const view = render(
      <StreamProvider manager={manager}>
        <Listening symbol="BTC-USD" listener={listener} />
      </StreamProvider>,
    )
    await server.waitFor(() => manager.getStats().messagesIn === 1)
    flush()
    expect(listener).toHaveBeenCalledTimes(1)

    view.unmount()
    await act(async () => {
      await new Promise((resolve) => setImmediate(resolve))
    })
    await server.waitFor(() => framesOfType(server.received, 'unsubscribe').length === 1)
    expect(framesOfType(server.received, 'unsubscribe')[0]?.symbols).toEqual(['BTC-USD'])
    // A tick written after unmount (the store is still live) reaches no listener.
    act(() => {
      const tick = manager.store.getState().prices['BTC-USD'] as PriceTick
      const prices = { 'BTC-USD': { ...tick, price: 999 } }
      applyDiff(manager.store, { prices, connections: {}, symbolErrors: {} })
    })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('shares the subscription with usePrice and calls once per tick under StrictMode', async () => {
    const { manager, flush } = makeManager()
    const listener = vi.fn<PriceListener>()
    function Both(): ReactNode {
      usePriceListener('BTC-USD', listener)
      return <span data-testid="price">{usePrice('BTC-USD')?.price ?? '…'}</span>
    }
    const view = render(
      <StrictMode>
        <StreamProvider manager={manager}>
          <Both />
        </StreamProvider>
      </StrictMode>,
    )
    await server.waitFor(() => manager.getStats().messagesIn === 1)
    flush()
    await send(manager, ['BTC-USD', 101])
    flush()
    expect(view.getByTestId('price')).toHaveTextContent('101')
    expect(listener.mock.calls.map(([tick]) => tick?.price)).toEqual([100, 101])
    expect(framesOfType(server.received, 'subscribe')).toHaveLength(1)
  })

  it('wants nothing and calls nothing for an undefined symbol', async () => {
    const { manager, flush } = makeManager()
    const listener = vi.fn<PriceListener>()
    function Nothing(): ReactNode {
      usePriceListener(undefined, listener)
      usePrice('ETH-USD')
      return null
    }
    render(
      <StreamProvider manager={manager}>
        <Nothing />
      </StreamProvider>,
    )
    await server.waitFor(() => manager.getStats().messagesIn === 1)
    flush()
    expect(listener).not.toHaveBeenCalled()
    expect(framesOfType(server.received, 'subscribe').flatMap((f) => f.symbols)).toEqual([
      'ETH-USD',
    ])
  })
})
