import { act, render } from '@testing-library/react'
import { StrictMode, useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { StreamManagerConfig } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import { StreamProvider, usePrice } from '../../src/react'
import { useStatusChange, type StatusChange } from '../../src/react/useStatusChange'
import { createStatusToasts, type ToastKind } from '../../stories/statusToasts'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket } from './support'

let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Short, fixed backoff and no REST fallback, so a dead server means "reconnecting" only. */
function configFor(url: string): StreamManagerConfig {
  return {
    url,
    WebSocket,
    reconnect: { initialDelayMs: 20, maxDelayMs: 20, jitter: 0 },
    fallbackAfterFailures: 1_000,
    // Every delta its own frame, so each one re-renders.
    throttleMs: 0,
  }
}

const transition = (c: StatusChange) => `${c.connection}: ${c.previous} -> ${c.status}`

/**
 * Renders on every price frame (usePrice) and passes a new inline handler each render, which
 * is exactly what must not cause extra calls or resubscriptions.
 */
function Watcher({
  onChange,
  onRender,
}: {
  onChange: (c: StatusChange) => void
  onRender: () => void
}) {
  const tick = usePrice('BTC-USD')
  onRender()
  useStatusChange((change) => onChange(change))
  return <span data-testid="price">{tick?.price ?? '-'}</span>
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setImmediate(resolve))
  })
}

describe('useStatusChange and StreamProvider onStatusChange', () => {
  it('fire once per real change across many frames, a server kill and its recovery', async () => {
    server = await createTestServer()
    const port = server.port
    const fromHook: StatusChange[] = []
    const fromProvider: StatusChange[] = []
    let renders = 0
    const view = render(
      <StrictMode>
        <StreamProvider
          config={configFor(server.url)}
          onStatusChange={(change) => fromProvider.push(change)}
        >
          <Watcher onChange={(c) => fromHook.push(c)} onRender={() => (renders += 1)} />
        </StreamProvider>
      </StrictMode>,
    )
    await server.waitFor(() => fromHook.some((c) => c.status === 'open'))
    await server.waitFor(() => server!.received.length > 0 && server!.openNow === 1)

    // Many price frames: each one re-renders the watcher with a fresh inline handler.
    const rendersBefore = renders
    for (let i = 1; i <= 20; i++) {
      server.send(server.delta('BTC-USD', { price: 100 + i }))
      await vi.waitFor(() => expect(view.getByTestId('price').textContent).toBe(String(100 + i)))
    }
    expect(renders).toBeGreaterThanOrEqual(rendersBefore + 20)
    expect(fromHook.map(transition)).toEqual([
      'default: idle -> connecting',
      'default: connecting -> open',
    ])

    // Kill the server: the connection goes reconnecting and keeps failing (several attempts).
    await server.close()
    await vi.waitFor(() => expect(fromHook.map((c) => c.status)).toContain('reconnecting'), {
      timeout: 5_000,
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const whileDown = fromHook.length

    // The feed comes back on the same port: one change back to open.
    server = await createTestServer({ port })
    await vi.waitFor(() => expect(fromHook.at(-1)?.status).toBe('open'), { timeout: 5_000 })
    await settle()

    const seen = fromHook.map(transition)
    expect(seen.slice(0, 3)).toEqual([
      'default: idle -> connecting',
      'default: connecting -> open',
      'default: open -> reconnecting',
    ])
    expect(seen.at(-1)).toBe('default: reconnecting -> open')
    // Failed attempts while down change no status: nothing between "reconnecting" and "open".
    expect(whileDown).toBe(3)
    expect(seen).toHaveLength(4)
    // Every call is a real change, and the reason of the drop is reported.
    for (const change of fromHook) expect(change.previous).not.toBe(change.status)
    expect(fromHook[2]?.reason).toBeTruthy()
    // The provider's prop saw exactly the same changes.
    expect(fromProvider).toEqual(fromHook)
    view.unmount()
    await settle()
  })

  it('an inline handler never resubscribes, and the latest one is called', async () => {
    server = await createTestServer()
    const manager = createStreamManager({ ...configFor(server.url), autoStart: false })
    const on = vi.spyOn(manager, 'on')
    const calls: string[] = []

    function App() {
      const [label, setLabel] = useState('first')
      useStatusChange((change) => calls.push(`${label}:${change.status}`))
      return (
        <button type="button" onClick={() => setLabel('second')}>
          {label}
        </button>
      )
    }
    const view = render(
      <StreamProvider manager={manager} onStatusChange={() => calls.push('provider')}>
        <App />
      </StreamProvider>,
    )
    await server.waitFor(() => calls.includes('first:open'))
    const subscriptions = on.mock.calls.filter(([event]) => event === 'status').length
    expect(subscriptions).toBe(2) // one for the hook, one for the provider's prop

    act(() => view.getByRole('button').click())
    view.rerender(
      <StreamProvider manager={manager} onStatusChange={() => calls.push('provider again')}>
        <App />
      </StreamProvider>,
    )
    expect(view.getByRole('button').textContent).toBe('second')
    calls.length = 0
    act(() => manager.disconnect())
    expect(calls).toEqual(['second:closed', 'provider again'])
    expect(on.mock.calls.filter(([event]) => event === 'status').length).toBe(subscriptions)

    view.unmount()
    manager.destroy()
    await settle()
  })

  it('stops calling after unmount', async () => {
    server = await createTestServer()
    const manager = createStreamManager({ ...configFor(server.url), autoStart: false })
    const calls: StatusChange[] = []
    function Listener() {
      useStatusChange((change) => calls.push(change))
      return null
    }
    const view = render(
      <StreamProvider manager={manager}>
        <Listener />
      </StreamProvider>,
    )
    await server.waitFor(() => calls.some((c) => c.status === 'open'))
    view.unmount()
    const before = calls.length
    manager.disconnect()
    expect(calls).toHaveLength(before)
    manager.destroy()
    await settle()
  })

  it("the toast recipe's debounce: a flapping connection makes no toast, a real outage one each way", async () => {
    server = await createTestServer()
    const port = server.port
    const changes: StatusChange[] = []
    const toasts: ToastKind[] = []
    const notifier = createStatusToasts((_connection, kind) => toasts.push(kind), 300)
    const view = render(
      <StreamProvider
        config={configFor(server.url)}
        onStatusChange={(change) => {
          changes.push(change)
          notifier.onStatusChange(change)
        }}
      >
        <Watcher onChange={() => {}} onRender={() => {}} />
      </StreamProvider>,
    )
    const opens = () => changes.filter((c) => c.status === 'open').length
    await vi.waitFor(() => expect(opens()).toBe(1))
    // Five drops in a row, each healed within the 20 ms backoff: ten changes, no toast.
    for (let i = 2; i <= 6; i++) {
      server.dropAll()
      await vi.waitFor(() => expect(opens()).toBe(i), { timeout: 5_000 })
    }
    expect(changes.length).toBeGreaterThanOrEqual(11)
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(toasts).toEqual([])

    // A real outage: one toast when it has lasted, one when it is over.
    await server.close()
    await vi.waitFor(() => expect(toasts).toEqual(['reconnecting']), { timeout: 5_000 })
    server = await createTestServer({ port })
    await vi.waitFor(() => expect(toasts).toEqual(['reconnecting', 'live']), { timeout: 5_000 })
    notifier.dispose()
    view.unmount()
    await settle()
  })
})
