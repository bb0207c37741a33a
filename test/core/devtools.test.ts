import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectStoreDevtools, DEVTOOLS_FRAME_ACTION } from '../../src/core/prices/store-devtools'
import { applyDiff, emptyDiff } from '../../src/core/prices/diff'
import { createStreamStore } from '../../src/core/prices/store'
import type { PriceTick, StreamState } from '../../src/core/types'

/** What the middleware sees of the Redux DevTools extension: connect() and its connection. */
function fakeExtension() {
  const sent: { action: { type: string }; state: StreamState }[] = []
  let listener:
    ((message: { type: string; payload?: { type: string }; state?: string }) => void) | undefined
  const connection = {
    init: vi.fn<(state: StreamState) => void>(),
    send: vi.fn((action: { type: string }, state: StreamState) => {
      sent.push({ action, state })
    }),
    subscribe: vi.fn((fn: typeof listener) => {
      listener = fn
      return () => {
        listener = undefined
      }
    }),
    unsubscribe: vi.fn(),
    error: vi.fn(),
  }
  const extension = { connect: vi.fn((_options: Record<string, unknown>) => connection) }
  return {
    extension,
    connection,
    sent,
    /** A message from the extension's UI, as the middleware receives it. */
    dispatch: (message: { type: string; payload?: { type: string }; state?: string }) =>
      listener?.(message),
    get listening() {
      return listener !== undefined
    },
  }
}

function tick(symbol: string, price: number): PriceTick {
  return {
    symbol,
    price,
    data: { price },
    seq: 1,
    ts: 1,
    receivedAt: 1,
    source: 'stream',
    stale: false,
    direction: null,
    connection: 'default',
  }
}

function write(store: ReturnType<typeof createStreamStore>, symbol: string, price: number): void {
  const diff = emptyDiff()
  diff.prices[symbol] = tick(symbol, price)
  applyDiff(store, diff)
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('connectStoreDevtools', () => {
  it('is off by default and without the extension: the store is left as it is', () => {
    const store = createStreamStore()
    const setState = store.setState
    expect(connectStoreDevtools(store, undefined)).toBeTypeOf('function')
    expect(connectStoreDevtools(store, false)).toBeTypeOf('function')
    // Node: no `window` at all, as during server rendering.
    expect('window' in globalThis).toBe(false)
    connectStoreDevtools(store, true)
    expect(store.setState).toBe(setState)
    // A browser without the extension.
    vi.stubGlobal('window', {})
    const undo = connectStoreDevtools(store, true)
    expect(store.setState).toBe(setState)
    undo()
    write(store, 'BTC-USD', 1)
    expect(store.getState().prices['BTC-USD']?.price).toBe(1)
  })

  it('sends the initial state, then every frame as a tickwire/frame action with the state after it', () => {
    const fake = fakeExtension()
    vi.stubGlobal('window', { __REDUX_DEVTOOLS_EXTENSION__: fake.extension })
    const store = createStreamStore({})
    write(store, 'ETH-USD', 10)

    const undo = connectStoreDevtools(store, { name: 'prices board' })
    expect(fake.extension.connect).toHaveBeenCalledTimes(1)
    expect(fake.extension.connect.mock.calls[0]?.[0]).toMatchObject({
      name: 'prices board',
      maxAge: 50,
      latency: 500,
    })
    expect(fake.connection.init).toHaveBeenCalledWith(store.getState())

    write(store, 'BTC-USD', 45_000)
    write(store, 'BTC-USD', 45_001)
    expect(fake.sent.map((entry) => entry.action.type)).toEqual([
      DEVTOOLS_FRAME_ACTION,
      DEVTOOLS_FRAME_ACTION,
    ])
    expect(fake.sent[1]?.state.prices['BTC-USD']?.price).toBe(45_001)
    expect(fake.sent[1]?.state.prices['ETH-USD']?.price).toBe(10)
    // An empty diff writes nothing, so the extension sees nothing either.
    applyDiff(store, emptyDiff())
    expect(fake.sent).toHaveLength(2)
    undo()
  })

  it('defaults to the name "tickwire" with devtools: true', () => {
    const fake = fakeExtension()
    vi.stubGlobal('window', { __REDUX_DEVTOOLS_EXTENSION__: fake.extension })
    const undo = connectStoreDevtools(createStreamStore(), true)
    expect(fake.extension.connect.mock.calls[0]?.[0]).toMatchObject({ name: 'tickwire' })
    undo()
  })

  it('jumping to an old state in the extension writes it into the store without echoing it back', () => {
    const fake = fakeExtension()
    vi.stubGlobal('window', { __REDUX_DEVTOOLS_EXTENSION__: fake.extension })
    const store = createStreamStore()
    const undo = connectStoreDevtools(store, true)
    write(store, 'BTC-USD', 1)
    const old = JSON.stringify(store.getState())
    write(store, 'BTC-USD', 2)
    const before = fake.sent.length
    fake.dispatch({ type: 'DISPATCH', payload: { type: 'JUMP_TO_STATE' }, state: old })
    expect(store.getState().prices['BTC-USD']?.price).toBe(1)
    expect(fake.sent).toHaveLength(before)
    undo()
  })

  it('the undo disconnects and restores setState, so later frames are not sent', () => {
    const fake = fakeExtension()
    vi.stubGlobal('window', { __REDUX_DEVTOOLS_EXTENSION__: fake.extension })
    const store = createStreamStore()
    const setState = store.setState
    const undo = connectStoreDevtools(store, true)
    expect(store.setState).not.toBe(setState)
    expect(fake.listening).toBe(true)
    undo()
    expect(store.setState).toBe(setState)
    expect(fake.listening).toBe(false)
    expect(fake.connection.unsubscribe).toHaveBeenCalled()
    write(store, 'BTC-USD', 3)
    expect(fake.sent).toHaveLength(0)
    expect(store.getState().prices['BTC-USD']?.price).toBe(3)
  })
})

describe('createStreamManager({ devtools })', () => {
  it('sends the store to the extension with devtools: true and disconnects on destroy', async () => {
    const { createStreamManager } = await import('../../src/core/manager')
    const fake = fakeExtension()
    vi.stubGlobal('window', { __REDUX_DEVTOOLS_EXTENSION__: fake.extension })
    const manager = createStreamManager({
      url: 'ws://127.0.0.1:9/ws',
      autoStart: false,
      devtools: { name: 'app' },
    })
    // Created but not started (what a render React may throw away does): nothing connects.
    expect(fake.extension.connect).not.toHaveBeenCalled()
    manager.start()
    expect(fake.extension.connect.mock.calls[0]?.[0]).toMatchObject({ name: 'app' })
    expect(fake.connection.init).toHaveBeenCalledTimes(1)
    // The extension starts from the store as it is, every connection listed.
    expect(fake.sent.at(-1)?.state ?? fake.connection.init.mock.calls[0]?.[0]).toEqual(
      manager.store.getState(),
    )
    manager.destroy()
    expect(fake.listening).toBe(false)
  })

  it('leaves the store alone without the option', async () => {
    const { createStreamManager } = await import('../../src/core/manager')
    const fake = fakeExtension()
    vi.stubGlobal('window', { __REDUX_DEVTOOLS_EXTENSION__: fake.extension })
    const manager = createStreamManager({ url: 'ws://127.0.0.1:9/ws', autoStart: false })
    expect(fake.extension.connect).not.toHaveBeenCalled()
    manager.destroy()
  })
})
