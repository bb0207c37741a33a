import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StreamManager } from '../../src/core/stream-manager'
import { StreamProvider, usePrice, usePriceSnapshot, useStreamManager } from '../../src/react'
import type { UsePriceSnapshotOptions } from '../../src/react'
import { startRestServer, type RestTestServer } from '../helpers/restServer'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket } from './support'

let feed: TestServer
let rest: RestTestServer
let queryClient: QueryClient

beforeEach(async () => {
  feed = await createTestServer()
  rest = await startRestServer()
  queryClient = new QueryClient()
})

afterEach(async () => {
  queryClient.clear()
  await feed.close()
  await rest.close()
})

function Board({
  symbols,
  options,
  id,
}: {
  symbols: string[]
  options: UsePriceSnapshotOptions
  id: string
}): ReactNode {
  const { prices, snapshotStatus } = usePriceSnapshot(symbols, options)
  return (
    <ul data-testid={id} data-snapshot={snapshotStatus}>
      {[...new Set(symbols)].map((symbol) => (
        <li key={symbol} data-testid={`${id}:${symbol}`} data-source={prices[symbol]?.source}>
          {prices[symbol]?.price ?? '…'}
        </li>
      ))}
    </ul>
  )
}

/** Reads the manager and one symbol through plain `usePrice`, which only sees the store. */
function Probe({ onManager }: { onManager: (manager: StreamManager) => void }): ReactNode {
  onManager(useStreamManager())
  const tick = usePrice('BTC-USD')
  return <output data-testid="probe">{tick ? `${tick.price}@${tick.seq}` : 'none'}</output>
}

function app(children: ReactNode): ReactNode {
  return (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <StreamProvider config={{ url: feed.url, WebSocket, throttleMs: 0 }}>
          {children}
        </StreamProvider>
      </QueryClientProvider>
    </StrictMode>
  )
}

describe('usePriceSnapshot: first paint from REST', () => {
  it('shows the REST price while the socket has nothing yet, then the streamed one', async () => {
    feed.autoSnapshot = false // the socket opens and says nothing: the REST answer paints
    rest.answer = () => ({
      body: { prices: { 'BTC-USD': { seq: 5, ts: 1, data: { price: 42 } } } },
    })
    render(
      app(
        <>
          <Board id="a" symbols={['BTC-USD']} options={{ restUrl: rest.url }} />
          <Probe onManager={() => {}} />
        </>,
      ),
    )
    const cell = screen.getByTestId('a:BTC-USD')
    await vi.waitFor(() => expect(cell).toHaveTextContent('42'))
    expect(cell).toHaveAttribute('data-source', 'poll')
    // Handed to the manager too: a plain usePrice elsewhere shows it.
    await vi.waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('42@5'))

    feed.send({ type: 'snapshot', symbol: 'BTC-USD', seq: 6, data: { price: 43 } })
    await vi.waitFor(() => expect(cell).toHaveTextContent('43'))
    expect(cell).toHaveAttribute('data-source', 'stream')
    expect(rest.requests).toHaveLength(1)
  })

  it('makes one request per symbol set: the same symbols in any order share it', async () => {
    feed.autoSnapshot = false
    const options = { restUrl: rest.url }
    render(
      app(
        <>
          <Board id="a" symbols={['ETH-USD', 'BTC-USD']} options={options} />
          <Board id="b" symbols={['BTC-USD', 'ETH-USD', 'BTC-USD']} options={options} />
          <Board id="c" symbols={['SOL-USD']} options={options} />
        </>,
      ),
    )
    for (const id of ['a', 'b', 'c'])
      await vi.waitFor(() =>
        expect(screen.getByTestId(id)).toHaveAttribute('data-snapshot', 'success'),
      )
    expect(screen.getByTestId('b:ETH-USD')).toHaveTextContent('100')
    const sets = rest.requests.map((request) => request.symbols.join(','))
    expect(sets.sort()).toEqual(['BTC-USD,ETH-USD', 'SOL-USD'])
  })

  it('never overwrites a newer streamed price: stream seq N+1 before the REST answer with seq N', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    // The request goes out at mount; its answer is held until the stream is ahead.
    const heldFetch: typeof fetch = async (input, init) => {
      await gate
      return fetch(input, init)
    }
    let manager: StreamManager | undefined
    render(
      app(
        <>
          <Board id="a" symbols={['BTC-USD']} options={{ restUrl: rest.url, fetch: heldFetch }} />
          <Probe onManager={(m) => (manager = m)} />
        </>,
      ),
    )
    // The feed answers the subscribe with a snapshot at seq N; a delta makes it N+1.
    await vi.waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('100@'))
    const n = manager!.store.getState().prices['BTC-USD']!.seq
    feed.send(feed.delta('BTC-USD', { price: 101 }))
    await vi.waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(`101@${n + 1}`))
    const streamed = manager!.store.getState().prices['BTC-USD']

    // The REST answer is at seq N, with a later ts: the seq decides, the stream stays.
    rest.answer = () => ({
      body: { prices: { 'BTC-USD': { seq: n, ts: Date.now() + 60_000, data: { price: 1 } } } },
    })
    await act(async () => release())
    await vi.waitFor(() =>
      expect(screen.getByTestId('a')).toHaveAttribute('data-snapshot', 'success'),
    )
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50))
    })
    expect(rest.requests).toHaveLength(1)
    expect(manager!.store.getState().prices['BTC-USD']).toBe(streamed)
    expect(screen.getByTestId('a:BTC-USD')).toHaveTextContent('101')
    expect(screen.getByTestId('probe')).toHaveTextContent(`101@${n + 1}`)
  })

  it('a bad REST answer is an error of the snapshot only: the stream still paints', async () => {
    rest.answer = () => ({ body: ['not', 'a', 'snapshot'] })
    render(app(<Board id="a" symbols={['BTC-USD']} options={{ restUrl: rest.url }} />))
    await vi.waitFor(() => expect(screen.getByTestId('a:BTC-USD')).toHaveTextContent('100'))
    expect(screen.getByTestId('a:BTC-USD')).toHaveAttribute('data-source', 'stream')
  })

  it('without a QueryClientProvider it throws a message that says what is missing', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() =>
      render(
        <StreamProvider config={{ url: feed.url, WebSocket }}>
          <Board id="a" symbols={['BTC-USD']} options={{ restUrl: rest.url }} />
        </StreamProvider>,
      ),
    ).toThrow(/QueryClientProvider/)
    vi.restoreAllMocks()
  })
})
