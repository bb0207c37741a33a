import { act, render, renderHook, waitFor } from '@testing-library/react'
import { Profiler, StrictMode, useState } from 'react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StreamManagerConfig } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import {
  StreamProvider,
  useConnectionStatus,
  usePrice,
  usePriceStream,
  useStream,
  useStreamEvent,
} from '../../src/react'
import type { PriceStreamResult } from '../../src/react'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket, countingTimers, framesOfType, manualTimers } from './support'

let server: TestServer
const managers: StreamManager[] = []

beforeEach(async () => {
  server = await createTestServer()
})

afterEach(async () => {
  for (const manager of managers.splice(0)) manager.destroy()
  await server.close()
})

/** A manager the test owns, so it can spy on the calls the hooks' effects make. */
function makeManager(extra: Partial<StreamManagerConfig> = {}): StreamManager {
  const manager = createStreamManager({
    url: server.url,
    WebSocket,
    ...extra,
  } as StreamManagerConfig)
  managers.push(manager)
  return manager
}

/** Lets socket I/O and microtasks run inside act(). */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setImmediate(resolve))
  })
}

const subscribes = (): { type: string; symbols: string[] }[] =>
  framesOfType(server.received, 'subscribe')
const unsubscribes = (): { type: string; symbols: string[] }[] =>
  framesOfType(server.received, 'unsubscribe')

describe('wanted set keyed by content, handlers in refs', () => {
  it('1,000 re-renders with fresh array literals and inline handlers send no frame and re-run no effect', async () => {
    const manager = makeManager()
    const subscribe = vi.spyOn(manager, 'subscribe')
    const on = vi.spyOn(manager, 'on')
    const orders: number[] = []

    function Board({ n }: { n: number }): ReactNode {
      // A new array literal every render, reordered and with a duplicate on odd renders.
      const symbols = n % 2 === 0 ? ['BTC-USD', 'ETH-USD'] : ['ETH-USD', 'BTC-USD', 'ETH-USD']
      const { prices } = usePriceStream(symbols)
      usePrice('BTC-USD')
      // An inline handler closing over this render's `n`.
      useStreamEvent('order', () => orders.push(n))
      return <span>{prices['BTC-USD']?.price ?? '…'}</span>
    }

    const view = render(
      <StrictMode>
        <StreamProvider manager={manager}>
          <Board n={0} />
        </StreamProvider>
      </StrictMode>,
    )
    expect(await view.findByText('100')).toBeInTheDocument()
    await settle()
    const framesBefore = server.received.length
    const subscribeCalls = subscribe.mock.calls.length
    const onCalls = on.mock.calls.length

    act(() => {
      for (let n = 1; n <= 1000; n++) {
        view.rerender(
          <StrictMode>
            <StreamProvider manager={manager}>
              <Board n={n} />
            </StreamProvider>
          </StrictMode>,
        )
      }
    })
    await settle()

    expect(subscribe.mock.calls.length - subscribeCalls).toBe(0)
    expect(on.mock.calls.length - onCalls).toBe(0)
    expect(server.received.length - framesBefore).toBe(0)
    expect(subscribes()).toHaveLength(1)
    expect(new Set(subscribes()[0]!.symbols)).toEqual(new Set(['BTC-USD', 'ETH-USD']))

    // The one listener calls the latest handler, not the one of the first render.
    server.send({ type: 'order', id: 7 })
    await waitFor(() => expect(orders).toEqual([1000]))
  })

  it('StrictMode with unsubscribeDelayMs 0 sends one subscribe and no unsubscribe', async () => {
    const manager = makeManager({ unsubscribeDelayMs: 0 })
    function Board(): ReactNode {
      const { prices } = usePriceStream(['BTC-USD', 'ETH-USD'])
      const eth = usePrice('ETH-USD')
      return (
        <span>
          {prices['BTC-USD']?.price ?? '…'} {eth?.price ?? '…'}
        </span>
      )
    }
    const view = render(
      <StrictMode>
        <StreamProvider manager={manager}>
          <Board />
        </StreamProvider>
      </StrictMode>,
    )
    expect(await view.findByText('100 100')).toBeInTheDocument()
    await settle()
    expect(subscribes()).toHaveLength(1)
    expect(unsubscribes()).toHaveLength(0)
  })

  it('adding a symbol keeps the standing error of another (no release-then-want in between)', async () => {
    server.unknownSymbols.add('NOPE-USD')
    const manager = makeManager({ unsubscribeDelayMs: 0 })
    const { result, rerender } = renderHook(({ symbols }) => usePriceStream(symbols), {
      initialProps: { symbols: ['NOPE-USD'] },
      wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider>,
    })
    await waitFor(() => expect(result.current.errors['NOPE-USD']?.code).toBe('unknown_symbol'))
    rerender({ symbols: ['NOPE-USD', 'BTC-USD'] })
    await waitFor(() => expect(result.current.prices['BTC-USD']?.price).toBe(100))
    await settle()
    // Releasing NOPE before wanting it again would clear its error and subscribe it anew.
    expect(result.current.errors['NOPE-USD']?.code).toBe('unknown_symbol')
    expect(subscribes().map((frame) => frame.symbols)).toEqual([['NOPE-USD'], ['BTC-USD']])
  })

  it('a changed set subscribes only what was added', async () => {
    const manager = makeManager({ unsubscribeDelayMs: 0 })
    const { rerender } = renderHook(({ symbols }) => usePriceStream(symbols), {
      initialProps: { symbols: ['BTC-USD'] },
      wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider>,
    })
    await server.waitFor(() => subscribes().length === 1)
    rerender({ symbols: ['BTC-USD', 'SOL-USD'] })
    await server.waitFor(() => subscribes().length === 2)
    expect(subscribes()[1]!.symbols).toEqual(['SOL-USD'])
    expect(unsubscribes()).toHaveLength(0)
  })
})

describe('commits', () => {
  it('1,000 messages arriving within one frame produce one commit of the consuming component', async () => {
    const timers = countingTimers({ manualFrames: true })
    const manager = makeManager({ timers, throttleMs: 0 })
    let commits = 0

    function Btc(): ReactNode {
      const tick = usePrice('BTC-USD')
      return <span data-testid="btc">{tick?.price ?? '…'}</span>
    }

    const view = render(
      <StreamProvider manager={manager}>
        <Profiler id="btc" onRender={() => (commits += 1)}>
          <Btc />
        </Profiler>
      </StreamProvider>,
    )
    await server.waitFor(() => manager.getStats().messagesIn === 1)
    act(() => void timers.flushFrames())
    expect(view.getByTestId('btc')).toHaveTextContent('100')

    commits = 0
    for (let i = 1; i <= 1000; i++) server.send(server.delta('BTC-USD', { price: 100 + i }))
    await server.waitFor(() => manager.getStats().messagesIn === 1001)
    // Nothing reaches React between frames, however many messages came in.
    expect(commits).toBe(0)
    act(() => void timers.flushFrames())
    expect(commits).toBe(1)
    expect(view.getByTestId('btc')).toHaveTextContent('1100')
  })

  it('two components on different symbols re-render only for their own symbol', async () => {
    const timers = countingTimers({ manualFrames: true })
    const manager = makeManager({ timers, throttleMs: 0 })
    const commits = { 'BTC-USD': 0, 'ETH-USD': 0 }

    function Cell({ symbol }: { symbol: 'BTC-USD' | 'ETH-USD' }): ReactNode {
      const tick = usePrice(symbol)
      return <span data-testid={symbol}>{tick?.price ?? '…'}</span>
    }
    const onRender = (id: string): void => {
      commits[id as keyof typeof commits] += 1
    }

    const view = render(
      <StreamProvider manager={manager}>
        <Profiler id="BTC-USD" onRender={onRender}>
          <Cell symbol="BTC-USD" />
        </Profiler>
        <Profiler id="ETH-USD" onRender={onRender}>
          <Cell symbol="ETH-USD" />
        </Profiler>
      </StreamProvider>,
    )
    await server.waitFor(() => manager.getStats().messagesIn === 2)
    act(() => void timers.flushFrames())
    expect(view.getByTestId('ETH-USD')).toHaveTextContent('100')

    commits['BTC-USD'] = 0
    commits['ETH-USD'] = 0
    for (let i = 1; i <= 50; i++) server.send(server.delta('BTC-USD', { price: 200 + i }))
    await server.waitFor(() => manager.getStats().messagesIn === 52)
    act(() => void timers.flushFrames())
    expect(commits).toEqual({ 'BTC-USD': 1, 'ETH-USD': 0 })

    server.send(server.delta('ETH-USD', { price: 3 }))
    await server.waitFor(() => manager.getStats().messagesIn === 53)
    act(() => void timers.flushFrames())
    expect(commits).toEqual({ 'BTC-USD': 1, 'ETH-USD': 1 })
    expect(view.getByTestId('BTC-USD')).toHaveTextContent('250')
    expect(view.getByTestId('ETH-USD')).toHaveTextContent('3')
  })

  it('usePriceStream keeps its result identity when only other symbols or counters change', async () => {
    const timers = countingTimers({ manualFrames: true })
    const manager = makeManager({ timers, throttleMs: 0 })
    const results: PriceStreamResult[] = []
    renderHook(
      () => {
        const result = usePriceStream(['BTC-USD'])
        usePrice('ETH-USD')
        results.push(result)
        return result
      },
      { wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider> },
    )
    await server.waitFor(() => manager.getStats().messagesIn === 2)
    act(() => void timers.flushFrames())
    const shown = results.at(-1)!
    expect(shown.prices['BTC-USD']?.price).toBe(100)

    server.send(server.delta('ETH-USD', { price: 5 }))
    await server.waitFor(() => manager.getStats().messagesIn === 3)
    act(() => void timers.flushFrames())
    // The component re-rendered for ETH (usePrice), and usePriceStream gave the same object.
    expect(results.at(-1)).toBe(shown)
  })
})

describe('shared subscriptions', () => {
  it('two components wanting one symbol share one subscription, released after the last leaves', async () => {
    const timers = manualTimers()
    const manager = makeManager({ timers, unsubscribeDelayMs: 50 })

    function Two(): ReactNode {
      const [shown, setShown] = useState({ a: true, b: true })
      return (
        <>
          <button onClick={() => setShown((s) => ({ ...s, a: false }))}>hide a</button>
          <button onClick={() => setShown((s) => ({ ...s, b: false }))}>hide b</button>
          {shown.a && <Cell id="a" />}
          {shown.b && <Cell id="b" />}
        </>
      )
    }
    function Cell({ id }: { id: string }): ReactNode {
      const tick = usePrice('BTC-USD')
      return <span data-testid={id}>{tick?.price ?? '…'}</span>
    }

    const view = render(
      <StrictMode>
        <StreamProvider manager={manager}>
          <Two />
        </StreamProvider>
      </StrictMode>,
    )
    await server.waitFor(() => subscribes().length === 1)
    expect(subscribes()[0]!.symbols).toEqual(['BTC-USD'])

    act(() => view.getByText('hide a').click())
    await settle()
    timers.advance(1_000)
    await settle()
    expect(unsubscribes()).toHaveLength(0)

    act(() => view.getByText('hide b').click())
    await settle()
    timers.advance(49)
    await settle()
    expect(unsubscribes()).toHaveLength(0)
    timers.advance(1)
    await server.waitFor(() => unsubscribes().length === 1)
    expect(unsubscribes()[0]!.symbols).toEqual(['BTC-USD'])
    expect(subscribes()).toHaveLength(1)
  })
})

describe('usePriceStream', () => {
  it('shows errors for unknown symbols and stale as the server drives them', async () => {
    const timers = manualTimers()
    server.unknownSymbols.add('NOPE-USD')
    const manager = makeManager({ timers, staleAfterMs: 5_000, throttleMs: 0 })
    const { result } = renderHook(() => usePriceStream(['BTC-USD', 'NOPE-USD']), {
      wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider>,
    })
    expect(['idle', 'connecting']).toContain(result.current.status)

    await waitFor(() => {
      expect(result.current.prices['BTC-USD']?.price).toBe(100)
      expect(result.current.errors['NOPE-USD']?.code).toBe('unknown_symbol')
    })
    expect(result.current.status).toBe('open')
    expect(result.current.stale).toBe(false)
    expect(result.current.prices['NOPE-USD']).toBeUndefined()
    expect(Object.keys(result.current.errors)).toEqual(['NOPE-USD'])

    // The server goes quiet for BTC: past staleAfterMs the symbol is stale.
    timers.advance(5_001)
    await waitFor(() => expect(result.current.stale).toBe(true))
    expect(result.current.prices['BTC-USD']?.stale).toBe(true)

    // A fresh delta makes it live again.
    server.send(server.delta('BTC-USD', { price: 101 }))
    await waitFor(() => expect(result.current.stale).toBe(false))
    expect(result.current.prices['BTC-USD']?.price).toBe(101)
  })
})

describe('symbols named like Object.prototype members', () => {
  it('show no tick and no error before data, then their own data', async () => {
    server.autoSnapshot = false
    const manager = makeManager({ throttleMs: 0 })
    const { result } = renderHook(
      () => ({ stream: usePriceStream(['toString', 'valueOf']), one: usePrice('hasOwnProperty') }),
      { wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider> },
    )
    await server.waitFor(() => subscribes().length === 1)
    expect(result.current.stream.prices).toEqual({ toString: undefined, valueOf: undefined })
    expect(Object.keys(result.current.stream.errors)).toEqual([])
    expect(result.current.stream.stale).toBe(false)
    expect(result.current.one).toBeUndefined()

    server.send(server.snapshot('toString', { price: 7 }))
    // A string-typed key: `prices.toString` would be typed as the method.
    const name: string = 'toString'
    await waitFor(() => expect(result.current.stream.prices[name]?.price).toBe(7))
  })
})

describe('useStream and useConnectionStatus', () => {
  it('useStream keeps its function identities and shows the worst status', async () => {
    const manager = makeManager({ unsubscribeDelayMs: 0 })
    const { result, rerender } = renderHook(() => useStream(), {
      wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider>,
    })
    const first = result.current
    await waitFor(() => expect(result.current.status).toBe('open'))
    rerender()
    for (const key of ['subscribePrices', 'unsubscribePrices', 'reconnect', 'send'] as const) {
      expect(result.current[key]).toBe(first[key])
    }
    expect(result.current.connections.default?.status).toBe('open')

    await act(() => result.current.subscribePrices(['SOL-USD']))
    await server.waitFor(() => subscribes().some((f) => f.symbols.includes('SOL-USD')))
    await act(() => result.current.unsubscribePrices(['SOL-USD']))
    await server.waitFor(() => unsubscribes().some((f) => f.symbols.includes('SOL-USD')))

    act(() => result.current.send({ type: 'hello' }))
    await server.waitFor(() =>
      server.received.some((m) => (m as { type?: string }).type === 'hello'),
    )
  })

  it('useConnectionStatus gives a named connection, or the worst one', async () => {
    const other = await createTestServer()
    try {
      other.refuse('reject')
      const manager = makeManager({
        connections: {
          prices: { url: server.url, WebSocket },
          orders: { url: other.url, WebSocket, reconnect: { initialDelayMs: 60_000 } },
        },
      } as Partial<StreamManagerConfig>)
      const { result } = renderHook(
        () => ({
          prices: useConnectionStatus('prices'),
          worst: useConnectionStatus(),
          stream: useStream(),
        }),
        {
          wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider>,
        },
      )
      await waitFor(() => {
        expect(result.current.prices.status).toBe('open')
        expect(result.current.worst.status).toBe('reconnecting')
      })
      expect(result.current.worst).toBe(result.current.stream.connections.orders)
      expect(result.current.stream.status).toBe('reconnecting')
    } finally {
      await other.close()
    }
  })
})

describe('useStreamEvent', () => {
  it('hands application messages of its type to the latest handler and stops on unmount', async () => {
    const manager = makeManager()
    const seen: unknown[] = []
    // A listener of our own that outlives the hook, to know when messages have arrived.
    const arrived: unknown[] = []
    manager.on('message', ({ message }) => arrived.push(message))
    const { unmount } = renderHook(
      () => useStreamEvent<{ type: string; id: number }>('order', (m) => seen.push(m.id)),
      { wrapper: ({ children }) => <StreamProvider manager={manager}>{children}</StreamProvider> },
    )
    await server.waitFor(() => server.openNow === 1)
    server.send({ type: 'fill', id: 1 })
    server.send({ type: 'order', id: 2 })
    await waitFor(() => expect(seen).toEqual([2]))
    unmount()
    server.send({ type: 'order', id: 3 })
    server.send({ type: 'order', id: 4 })
    await server.waitFor(() => arrived.length === 4)
    expect(seen).toEqual([2])
  })
})
