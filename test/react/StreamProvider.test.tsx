import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook } from '@testing-library/react'
import { Activity, Component, StrictMode } from 'react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StreamManagerConfig } from '../../src/core/config'
import * as managerModule from '../../src/core/manager'
import { createStreamManager } from '../../src/core/manager'
import {
  StreamProvider,
  useConnectionStatus,
  usePrice,
  usePriceFlash,
  usePriceStream,
  useStream,
  useStreamEvent,
  useStreamManager,
} from '../../src/react'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket, countingTimers, framesOfType } from './support'

// Wrap (not replace) the real factory so a test can see what the provider passed to it.
vi.mock('../../src/core/manager', async (importOriginal) => {
  const real = await importOriginal<typeof managerModule>()
  return { ...real, createStreamManager: vi.fn(real.createStreamManager) }
})

let server: TestServer
let second: TestServer | undefined

beforeEach(async () => {
  server = await createTestServer()
})

afterEach(async () => {
  await server.close()
  await second?.close()
  second = undefined
  vi.mocked(managerModule.createStreamManager).mockClear()
})

/** Lets the deferred destroy (a microtask) and socket I/O happen. */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setImmediate(resolve))
  })
}

/** Counts listeners added to `window` and `document` that are still attached. */
function trackDomListeners(): { attached(): number; added(): number; restore(): void } {
  const live = new Map<string, number>()
  // What was attached during the test, so a test can also check that something was.
  let added = 0
  const targets = [window, document] as const
  const restores: (() => void)[] = []
  for (const target of targets) {
    const add = target.addEventListener.bind(target)
    const remove = target.removeEventListener.bind(target)
    const name = target === window ? 'window' : 'document'
    const addSpy = vi
      .spyOn(target, 'addEventListener')
      .mockImplementation((type, listener, options) => {
        const key = `${name}:${type}`
        live.set(key, (live.get(key) ?? 0) + 1)
        added += 1
        add(type, listener, options)
      })
    const removeSpy = vi
      .spyOn(target, 'removeEventListener')
      .mockImplementation((type, listener, options) => {
        const key = `${name}:${type}`
        live.set(key, (live.get(key) ?? 0) - 1)
        remove(type, listener, options)
      })
    restores.push(() => {
      addSpy.mockRestore()
      removeSpy.mockRestore()
    })
  }
  return {
    // React DOM adds one `selectionchange` listener to the document for the first root it
    // creates and keeps it for the document's life: that one is React's, not ours.
    attached: () =>
      [...live.entries()]
        .filter(([key]) => key !== 'document:selectionchange')
        .reduce((sum, [, n]) => sum + Math.max(0, n), 0),
    added: () => added,
    restore: () => restores.forEach((r) => r()),
  }
}

function Price({ symbol, connection }: { symbol: string; connection?: string }): ReactNode {
  const tick = usePrice(symbol, connection === undefined ? {} : { connection })
  return <span data-testid={symbol}>{tick?.price ?? '…'}</span>
}

describe('StreamProvider', () => {
  it('under StrictMode opens exactly one socket per connection; unmount closes them and leaves no timer or listener', async () => {
    second = await createTestServer()
    const timers = countingTimers()
    const dom = trackDomListeners()
    try {
      const config: StreamManagerConfig = {
        connections: {
          prices: { url: server.url, WebSocket },
          orders: { url: second.url, WebSocket },
        },
        timers,
      }
      const view = render(
        <StrictMode>
          <StreamProvider config={config}>
            <Price symbol="BTC-USD" connection="prices" />
          </StreamProvider>
        </StrictMode>,
      )
      await server.waitFor(() => server.openNow === 1 && second!.openNow === 1)
      await settle()
      expect(server.opened).toBe(1)
      expect(second.opened).toBe(1)
      // The manager and the QueryClient did listen to the page (online, visibility).
      expect(dom.added()).toBeGreaterThan(0)
      expect(timers.pending()).toBeGreaterThan(0)

      view.unmount()
      await settle()
      await server.waitFor(() => server.openNow === 0 && second!.openNow === 0)
      expect(server.opened).toBe(1)
      expect(second.opened).toBe(1)
      expect(timers.pending()).toBe(0)
      expect(dom.attached()).toBe(0)
    } finally {
      dom.restore()
    }
  })

  it('opens one socket with the url shorthand in StrictMode and shows the first snapshot', async () => {
    // The url prop has no WebSocket option: in jsdom that is the ws client set globally here.
    vi.stubGlobal('WebSocket', WebSocket)
    try {
      const view = render(
        <StrictMode>
          <StreamProvider url={server.url}>
            <Price symbol="BTC-USD" />
          </StreamProvider>
        </StrictMode>,
      )
      expect(await view.findByText('100')).toBeInTheDocument()
      expect(server.opened).toBe(1)
      expect(framesOfType(server.received, 'subscribe')).toEqual([
        expect.objectContaining({ symbols: ['BTC-USD'] }),
      ])
      view.unmount()
      await settle()
      await server.waitFor(() => server.openNow === 0)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('a render StrictMode throws away has no side effect: Redux DevTools connect once, for the manager that runs', async () => {
    const connection = {
      init: vi.fn(),
      send: vi.fn(),
      subscribe: vi.fn(() => () => {}),
      unsubscribe: vi.fn(),
      error: vi.fn(),
    }
    const connect = vi.fn(() => connection)
    vi.stubGlobal('__REDUX_DEVTOOLS_EXTENSION__', { connect })
    try {
      const view = render(
        <StrictMode>
          <StreamProvider config={{ url: server.url, WebSocket, devtools: true }}>
            <Price symbol="BTC-USD" />
          </StreamProvider>
        </StrictMode>,
      )
      expect(await view.findByText('100')).toBeInTheDocument()
      // StrictMode renders twice, so two managers were made; only the one it keeps started.
      expect(vi.mocked(managerModule.createStreamManager).mock.calls.length).toBeGreaterThan(1)
      expect(connect).toHaveBeenCalledTimes(1)
      expect(server.opened).toBe(1)
      view.unmount()
      await settle()
      expect(connection.unsubscribe).toHaveBeenCalledTimes(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('keeps the manager when the config object changes identity but not its URLs', async () => {
    const view = render(
      <StreamProvider config={{ url: server.url, WebSocket, throttleMs: 0 }}>
        <Price symbol="BTC-USD" />
      </StreamProvider>,
    )
    await server.waitFor(() => server.openNow === 1)
    for (let i = 0; i < 20; i++) {
      view.rerender(
        <StreamProvider config={{ url: server.url, WebSocket, throttleMs: 0 }}>
          <Price symbol="BTC-USD" />
        </StreamProvider>,
      )
    }
    await settle()
    expect(server.opened).toBe(1)
    expect(server.openNow).toBe(1)
    expect(managerModule.createStreamManager).toHaveBeenCalledTimes(1)
    view.unmount()
    await settle()
  })

  it('reconnects once when the URL string changes', async () => {
    second = await createTestServer()
    const target = second
    const view = render(
      <StrictMode>
        <StreamProvider config={{ url: server.url, WebSocket }}>
          <Price symbol="BTC-USD" />
        </StreamProvider>
      </StrictMode>,
    )
    await server.waitFor(() => server.openNow === 1)
    view.rerender(
      <StrictMode>
        <StreamProvider config={{ url: target.url, WebSocket }}>
          <Price symbol="BTC-USD" />
        </StreamProvider>
      </StrictMode>,
    )
    expect(await view.findByText('100')).toBeInTheDocument()
    await target.waitFor(() => target.openNow === 1 && server.openNow === 0)
    await settle()
    expect(server.opened).toBe(1)
    expect(target.opened).toBe(1)
    // The component's want followed the new manager: the new socket subscribed it.
    expect(framesOfType(target.received, 'subscribe')).toEqual([
      expect.objectContaining({ symbols: ['BTC-USD'] }),
    ])
    view.unmount()
    await settle()
  })

  it("calls the latest render's getToken on reconnect, without a new manager", async () => {
    const tree = (token: string): ReactNode => (
      <StreamProvider
        config={{
          url: server.url,
          WebSocket,
          getToken: () => token,
          reconnect: { initialDelayMs: 5, maxDelayMs: 5, jitter: 0 },
        }}
      >
        <Price symbol="BTC-USD" />
      </StreamProvider>
    )
    const view = render(tree('first'))
    await server.waitFor(() => framesOfType(server.received, 'auth').length === 1)
    view.rerender(tree('second'))
    server.dropAll()
    await server.waitFor(() => framesOfType(server.received, 'auth').length === 2)
    const auths = server.sockets.map((socket) => socket.received[0])
    expect(auths).toEqual([
      { type: 'auth', token: 'first' },
      { type: 'auth', token: 'second' },
    ])
    expect(managerModule.createStreamManager).toHaveBeenCalledTimes(1)
    view.unmount()
    await settle()
  })

  it("hands the app's QueryClient to the manager when a QueryClientProvider is above", async () => {
    const queryClient = new QueryClient()
    const view = render(
      <QueryClientProvider client={queryClient}>
        <StreamProvider config={{ url: server.url, WebSocket }}>
          <Price symbol="BTC-USD" />
        </StreamProvider>
      </QueryClientProvider>,
    )
    await server.waitFor(() => server.openNow === 1)
    const calls = vi.mocked(managerModule.createStreamManager).mock.calls
    expect(calls.length).toBeGreaterThan(0)
    for (const [config] of calls) expect(config.queryClient).toBe(queryClient)
    view.unmount()
    await settle()
  })

  it('makes its own QueryClient when none is above', async () => {
    const view = render(
      <StreamProvider config={{ url: server.url, WebSocket }}>
        <Price symbol="BTC-USD" />
      </StreamProvider>,
    )
    await server.waitFor(() => server.openNow === 1)
    const [config] = vi.mocked(managerModule.createStreamManager).mock.calls[0]!
    expect(config.queryClient).toBeInstanceOf(QueryClient)
    view.unmount()
    await settle()
  })

  it('uses a given manager without owning it: starts it, never destroys it', async () => {
    const manager = createStreamManager({ url: server.url, WebSocket, autoStart: false })
    const destroy = vi.spyOn(manager, 'destroy')
    const view = render(
      <StrictMode>
        <StreamProvider manager={manager}>
          <Price symbol="BTC-USD" />
        </StreamProvider>
      </StrictMode>,
    )
    expect(await view.findByText('100')).toBeInTheDocument()
    view.unmount()
    await settle()
    expect(destroy).not.toHaveBeenCalled()
    expect(server.openNow).toBe(1)
    manager.destroy()
    await server.waitFor(() => server.openNow === 0)
  })

  it('never throws network trouble into React: refused sockets and garbage frames show as state', async () => {
    const caught: unknown[] = []
    class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
      override state = { failed: false }
      static getDerivedStateFromError(): { failed: boolean } {
        return { failed: true }
      }
      override componentDidCatch(error: unknown): void {
        caught.push(error)
      }
      override render(): ReactNode {
        return this.state.failed ? 'crashed' : this.props.children
      }
    }
    function Status(): ReactNode {
      const { status } = usePriceStream(['BTC-USD'])
      return <span data-testid="status">{status}</span>
    }

    server.refuse('reject', 2)
    const view = render(
      <Boundary>
        <StreamProvider
          config={{ url: server.url, WebSocket, reconnect: { initialDelayMs: 5, jitter: 0 } }}
        >
          <Status />
        </StreamProvider>
      </Boundary>,
    )
    await server.waitFor(() => server.openNow === 1, 3_000)
    server.sendRaw('{ not json')
    server.send({ type: 'delta', symbol: 'BTC-USD', seq: 'x', data: { price: 'NaN' } })
    server.send(server.snapshot('BTC-USD'))
    await view.findByText('open')
    expect(caught).toEqual([])
    expect(view.queryByText('crashed')).toBeNull()
    view.unmount()
    await settle()
  })

  // <Activity> is React 19.2+; the suite also runs on React 18.3.
  it.skipIf(Activity === undefined)(
    'inside a hidden <Activity> closes its socket, and connects again when shown',
    async () => {
      const tree = (mode: 'visible' | 'hidden'): ReactNode => (
        <Activity mode={mode}>
          <StreamProvider config={{ url: server.url, WebSocket }}>
            <Price symbol="BTC-USD" />
          </StreamProvider>
        </Activity>
      )
      const view = render(tree('visible'))
      await server.waitFor(() => server.openNow === 1)
      view.rerender(tree('hidden'))
      await settle()
      await server.waitFor(() => server.openNow === 0)
      view.rerender(tree('visible'))
      await server.waitFor(() => server.openNow === 1)
      await settle()
      expect(server.opened).toBe(2)
      // The new socket wants what the shown components want.
      await server.waitFor(() => framesOfType(server.last!.received, 'subscribe').length === 1)
      expect(framesOfType(server.last!.received, 'subscribe')[0]!.symbols).toEqual(['BTC-USD'])
      view.unmount()
      await settle()
      await server.waitFor(() => server.openNow === 0)
    },
  )

  it('names StreamProvider when a hook is used outside it', () => {
    // React logs the thrown error once per failed render; that log is expected here.
    const hooks: [string, () => unknown][] = [
      ['usePrice', () => usePrice('BTC-USD')],
      ['usePriceStream', () => usePriceStream(['BTC-USD'])],
      ['useStream', () => useStream()],
      ['useConnectionStatus', () => useConnectionStatus()],
      ['useStreamEvent', () => useStreamEvent('order', () => undefined)],
      ['useStreamManager', () => useStreamManager()],
    ]
    for (const [name, hook] of hooks) {
      expect(() => renderHook(hook)).toThrow(
        new RegExp(`${name}\\(\\) must be used inside a <StreamProvider>`),
      )
    }
    // usePriceFlash needs no provider: it only compares values.
    expect(renderHook(() => usePriceFlash(1)).result.current).toBeNull()
  })
})
