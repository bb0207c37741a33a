/**
 * Leaks and life cycle of the React layer (issue 8): the provider and every hook and component
 * mounted and unmounted a thousand times leave no socket at the server, no pending timer of the
 * core, no listener on window, document, the store or the manager, and a heap that returns to
 * its start within a stated bound.
 *
 * React runs here as in a browser (`IS_REACT_ACT_ENVIRONMENT` false): socket frames update the
 * store outside `act`, which is what the library must cope with, and console.error is watched,
 * not silenced.
 */
import { act, render, waitFor } from '@testing-library/react'
import { createRoot } from 'react-dom/client'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { StrictMode, type ReactNode } from 'react'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ConnectionIndicator, ConnectionStatus, PriceFlash } from '../../src/components'
import type { StreamManagerConfig, WebSocketConstructor } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import {
  StreamProvider,
  useConnectionStatus,
  usePrice,
  usePriceFlash,
  usePriceStream,
  useStream,
  useStreamEvent,
} from '../../src/react'
import { leakTimers, type LeakTimers } from '../helpers/leakTimers'
import { fakeWebSocket, type FakeSocket } from './support/fakeSocket'
import { createTestServer, type TestServer } from '../helpers/testServer'

const WS = NodeWebSocket as unknown as WebSocketConstructor
/** Bound on the heap retained by 1,000 provider mounts after the first 50 (stated in docs/RELIABILITY.md). */
export const REACT_HEAP_BOUND = 2 * 1024 * 1024
const MOUNTS = 1_000

type ActGlobal = { IS_REACT_ACT_ENVIRONMENT?: boolean | undefined }
let previousAct: boolean | undefined
let server: TestServer | undefined

beforeAll(() => {
  previousAct = (globalThis as ActGlobal).IS_REACT_ACT_ENVIRONMENT
  ;(globalThis as ActGlobal).IS_REACT_ACT_ENVIRONMENT = false
  // jsdom has no ResizeObserver; Radix measures its tooltip with one (never opened here).
  if (typeof globalThis.ResizeObserver === 'undefined') {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(): void {}
        unobserve(): void {}
        disconnect(): void {}
      },
    )
  }
})

afterAll(() => {
  ;(globalThis as ActGlobal).IS_REACT_ACT_ENVIRONMENT = previousAct
  vi.unstubAllGlobals()
})

afterEach(async () => {
  vi.restoreAllMocks()
  await server?.close()
  server = undefined
})

/** Live listeners on window and document per event type, counted through add/remove. */
function trackDomListeners(): { live(): Record<string, number>; added(): number } {
  const live = new Map<string, number>()
  let added = 0
  for (const [name, target] of [
    ['window', window],
    ['document', document],
  ] as const) {
    const add = target.addEventListener.bind(target)
    const remove = target.removeEventListener.bind(target)
    // The same listener added twice counts once in the DOM: track identities, not calls.
    const seen = new Map<string, Set<unknown>>()
    vi.spyOn(target, 'addEventListener').mockImplementation((type, listener, options) => {
      const key = `${name}:${type}`
      const set = seen.get(key) ?? new Set()
      seen.set(key, set)
      if (!set.has(listener)) {
        set.add(listener)
        live.set(key, (live.get(key) ?? 0) + 1)
        added += 1
      }
      add(type, listener, options)
    })
    vi.spyOn(target, 'removeEventListener').mockImplementation((type, listener, options) => {
      const key = `${name}:${type}`
      if (seen.get(key)?.delete(listener) === true) live.set(key, (live.get(key) ?? 0) - 1)
      remove(type, listener, options)
    })
  }
  return {
    live: () => Object.fromEntries([...live].filter(([, n]) => n !== 0)),
    added: () => added,
  }
}

function watchConsoleErrors(): unknown[][] {
  const calls: unknown[][] = []
  const original = console.error.bind(console)
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    calls.push(args)
    original(...args)
  })
  return calls
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/** Mounts `tree` in a fresh root on `container`, runs `whileMounted`, then unmounts. */
async function mountOnce(
  container: HTMLElement,
  tree: ReactNode,
  whileMounted?: () => Promise<void>,
): Promise<void> {
  const root = createRoot(container)
  await act(async () => {
    root.render(tree)
  })
  await whileMounted?.()
  await act(async () => {
    root.unmount()
  })
}

/** Every hook of the kit, on a few symbols; with `components`, every component too. */
function Everything({
  n,
  components = n % 10 === 0,
}: {
  n: number
  components?: boolean
}): ReactNode {
  const symbol = `S${n % 7}`
  const tick = usePrice(symbol)
  const stream = usePriceStream([symbol, 'BTC-USD', `S${(n + 1) % 7}`])
  const { status } = useStream()
  const info = useConnectionStatus()
  useStreamEvent('news', () => undefined)
  const direction = usePriceFlash(tick?.price)
  return (
    <div
      data-testid="everything"
      data-status={status}
      data-info={info.status}
      data-direction={direction ?? 'none'}
    >
      <span data-testid="price">{tick?.price ?? ''}</span>
      <span>{stream.prices['BTC-USD']?.price ?? ''}</span>
      {/* The components (Radix tooltips inside) cost the most to mount: every tenth mount. */}
      {components && (
        <>
          <PriceFlash symbol="BTC-USD" />
          <ConnectionStatus />
          <ConnectionIndicator />
        </>
      )}
    </div>
  )
}

describe('mounting and unmounting the provider and every hook', () => {
  it(`${MOUNTS} provider mounts over real sockets leave no socket, no pending core timer, no window or document listener`, async () => {
    const s = await createTestServer()
    server = s
    const timers: LeakTimers = leakTimers()
    const config: StreamManagerConfig = {
      url: s.url,
      WebSocket: WS,
      timers,
      throttleMs: 0,
      unsubscribeDelayMs: 0,
    }
    // Roots made here rather than with Testing Library's render(), which keeps every container
    // and root until the test ends.
    const container = document.createElement('div')
    document.body.append(container)
    // One mount before counting: React DOM adds its own document listeners once per page.
    await mountOnce(container, <StreamProvider config={config}>{null}</StreamProvider>)
    const dom = trackDomListeners()
    const errors = watchConsoleErrors()
    let withPrice = 0
    for (let i = 0; i < MOUNTS; i++) {
      const tree = (
        <StreamProvider config={config}>
          <Everything n={i} />
        </StreamProvider>
      )
      // Every 25th mount goes all the way to a price on screen before it unmounts.
      const full = i % 25 === 0
      await mountOnce(container, i % 4 === 0 ? <StrictMode>{tree}</StrictMode> : tree, async () => {
        if (!full) return
        await waitFor(
          () => expect(container.querySelector('[data-testid="price"]')?.textContent).toBe('100'),
          { timeout: 5_000, interval: 5 },
        )
        withPrice += 1
      })
    }
    container.remove()
    // The deferred destroy is a microtask; closing sockets is I/O.
    await waitFor(() => expect(s.openNow).toBe(0), { timeout: 5_000, interval: 5 })
    console.info(
      `[lifecycle react] mounts=${MOUNTS} with-price=${withPrice} sockets-opened=${s.opened} timers-scheduled=${timers.scheduled()} pending=${timers.pending()} dom-listeners-added=${dom.added()}`,
    )
    expect(s.opened).toBeGreaterThanOrEqual(withPrice)
    expect(timers.pending()).toBe(0)
    expect(timers.scheduled()).toBeGreaterThan(MOUNTS)
    expect(dom.added()).toBeGreaterThan(MOUNTS) // the tracking sees the online/focus listeners come and go
    expect(dom.live()).toEqual({})
    expect(errors).toEqual([])
  }, 90_000)

  it(`${MOUNTS} mounts under one long-lived manager leave no listener on its store or its events, and release every symbol`, async () => {
    const s = await createTestServer()
    server = s
    const timers = leakTimers()
    const manager: StreamManager = createStreamManager({
      url: s.url,
      WebSocket: WS,
      timers,
      throttleMs: 0,
      unsubscribeDelayMs: 0,
    })
    // Count live store subscriptions and event listeners by wrapping the manager's own methods.
    let storeListeners = 0
    let eventListeners = 0
    const subscribe = manager.store.subscribe.bind(manager.store)
    manager.store.subscribe = (listener) => {
      storeListeners += 1
      const off = subscribe(listener)
      let done = false
      return () => {
        if (!done) storeListeners -= 1
        done = true
        off()
      }
    }
    const on = manager.on.bind(manager)
    ;(manager as { on: StreamManager['on'] }).on = ((event, listener) => {
      eventListeners += 1
      const off = on(event, listener)
      let done = false
      return () => {
        if (!done) eventListeners -= 1
        done = true
        off()
      }
    }) as StreamManager['on']
    const errors = watchConsoleErrors()
    let maxStoreListeners = 0
    for (let i = 0; i < MOUNTS; i++) {
      const view = render(
        <StreamProvider manager={manager}>
          <Everything n={i} />
        </StreamProvider>,
      )
      maxStoreListeners = Math.max(maxStoreListeners, storeListeners)
      if (i % 50 === 0)
        await waitFor(() => expect(view.getByTestId('price').textContent).not.toBe(''), {
          timeout: 5_000,
          interval: 5,
        })
      view.unmount()
    }
    // Releases are deferred by a microtask; the unsubscribe goes out after unsubscribeDelayMs (0).
    await waitFor(() => {
      const subscribed = new Set<string>()
      for (const frame of s.received as { type?: string; symbols?: string[] }[]) {
        for (const symbol of frame.symbols ?? []) {
          if (frame.type === 'subscribe') subscribed.add(symbol)
          if (frame.type === 'unsubscribe') subscribed.delete(symbol)
        }
      }
      expect([...subscribed]).toEqual([])
    })
    console.info(
      `[lifecycle react, shared manager] mounts=${MOUNTS} peak-store-listeners=${maxStoreListeners} left=${storeListeners} event-listeners-left=${eventListeners}`,
    )
    expect(maxStoreListeners).toBeGreaterThan(0)
    expect(storeListeners).toBe(0)
    expect(eventListeners).toBe(0)
    expect(s.openNow).toBe(1) // the manager's one socket, still serving
    manager.destroy()
    expect(timers.pending()).toBe(0)
    await waitFor(() => expect(s.openNow).toBe(0))
    expect(errors).toEqual([])
  }, 90_000)

  it(`heap: ${MOUNTS} mounts of every hook (and every component on one mount in ten), each fed a price, retain under ${REACT_HEAP_BOUND / 1024 / 1024} MiB`, async () => {
    // In-process sockets here: in this environment the \`ws\` client itself retains about 7 KiB
    // per socket (measured with bare \`ws\`, no tickwire), which would drown what is measured.
    const fake = fakeWebSocket()
    // Manual frames: the store is written when the test says, inside act, with no polling.
    const timers = leakTimers({ manualFrames: true })
    const config: StreamManagerConfig = {
      url: 'ws://heap.invalid/ws',
      WebSocket: fake.WebSocket,
      timers,
      throttleMs: 0,
      unsubscribeDelayMs: 0,
    }
    const gc = exposeGc()
    const errors = watchConsoleErrors()
    const container = document.createElement('div')
    document.body.append(container)
    let before = 0
    for (let i = 0; i < MOUNTS + 50; i++) {
      if (i === 50) {
        gc()
        gc()
        before = process.memoryUsage().heapUsed
      }
      const tree = (
        <StreamProvider config={config}>
          <Everything n={i} />
        </StreamProvider>
      )
      await mountOnce(container, i % 4 === 0 ? <StrictMode>{tree}</StrictMode> : tree, async () => {
        const socket = fake.sockets[fake.sockets.length - 1] as FakeSocket
        await act(async () => {
          socket.open()
          await Promise.resolve()
          for (const symbol of [`S${i % 7}`, `S${(i + 1) % 7}`, 'BTC-USD']) {
            socket.deliver(
              JSON.stringify({ type: 'snapshot', symbol, seq: i, data: { price: 100 } }),
            )
          }
          socket.deliver(JSON.stringify({ type: 'news', i }))
          timers.flushFrames()
        })
        expect(container.querySelector('[data-testid="price"]')?.textContent).toBe('100')
      })
      // The socket list is the test's own record, not the library's: drop it so it is not measured.
      fake.sockets.length = 0
    }
    container.remove()
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0))
    })
    gc()
    gc()
    const grew = process.memoryUsage().heapUsed - before
    console.info(
      `[heap react] mounts=${MOUNTS} retained=${(grew / 1024).toFixed(0)} KiB (bound ${REACT_HEAP_BOUND / 1024} KiB)`,
    )
    expect(timers.pending()).toBe(0)
    expect(errors).toEqual([])
    expect(grew).toBeLessThan(REACT_HEAP_BOUND)
  }, 90_000)
})
