import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { StrictMode } from 'react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StreamManagerConfig } from '../../src/core/config'
import { StreamProvider, useConnectionStatus, usePrice } from '../../src/react'
import {
  createStreamSettingsStore,
  STREAM_SETTINGS_VERSION,
  type StreamSettingsStore,
} from '../../src/react/settingsStore'
import { useStreamSettings } from '../../src/react/useStreamSettings'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { WebSocket } from './support'

let server: TestServer
let key: string
let keyCount = 0

beforeEach(async () => {
  server = await createTestServer()
  key = `tickwire:settings:test-${++keyCount}`
  localStorage.clear()
})

afterEach(async () => {
  await server.close()
  localStorage.clear()
  vi.restoreAllMocks()
})

/** Lets effects, the deferred destroy and socket I/O happen. */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setImmediate(resolve))
  })
}

function Panel({ store }: { store: StreamSettingsStore }): ReactNode {
  const { connections, throttleMs, setEnabled, setThrottle } = useStreamSettings({ store })
  const status = useConnectionStatus()
  const tick = usePrice('BTC-USD')
  return (
    <div>
      {connections.map(({ name, enabled }) => (
        <label key={name}>
          <input
            type="checkbox"
            checked={enabled}
            onChange={(event) => setEnabled(name, event.currentTarget.checked)}
          />
          {name}
        </label>
      ))}
      <label>
        rate
        <select
          value={throttleMs ?? ''}
          onChange={(event) => {
            const value = event.currentTarget.value
            setThrottle(value === '' ? null : Number(value))
          }}
        >
          <option value="">default</option>
          <option value="0">every frame</option>
          <option value="1000">once a second</option>
        </select>
      </label>
      <output data-testid="status">{status.status}</output>
      <output data-testid="price">{tick?.price ?? 'none'}</output>
    </div>
  )
}

function app(store: StreamSettingsStore, config: StreamManagerConfig): ReactNode {
  return (
    <StrictMode>
      <StreamProvider config={config}>
        <Panel store={store} />
      </StreamProvider>
    </StrictMode>
  )
}

function stored(): unknown {
  const text = localStorage.getItem(key)
  return text === null ? null : JSON.parse(text)
}

describe('useStreamSettings', () => {
  it('turns a connection off and on from the UI without a remount, and persists the choice across a reload', async () => {
    const user = userEvent.setup()
    const config = { url: server.url, WebSocket, throttleMs: 0 }
    const store = createStreamSettingsStore({ name: key })
    const view = render(app(store, config))
    await server.waitFor(() => server.openNow === 1)
    await screen.findByText('100')

    await user.click(screen.getByRole('checkbox', { name: 'default' }))
    await server.waitFor(() => server.openNow === 0)
    await vi.waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('closed'))
    expect(stored()).toEqual({
      state: { enabled: { default: false }, throttleMs: null },
      version: STREAM_SETTINGS_VERSION,
    })

    await user.click(screen.getByRole('checkbox', { name: 'default' }))
    await server.waitFor(() => server.openNow === 1)
    expect(server.opened).toBe(2)
    await user.click(screen.getByRole('checkbox', { name: 'default' }))
    await server.waitFor(() => server.openNow === 0)
    view.unmount()
    await settle()

    // A reload: a new page store on the same key, a new provider. The stored "off" is read
    // in an effect before the provider starts the manager, so no socket ever opens.
    const reloaded = createStreamSettingsStore({ name: key })
    render(app(reloaded, config))
    await settle()
    await vi.waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('closed'))
    expect(screen.getByRole('checkbox', { name: 'default' })).not.toBeChecked()
    await settle()
    expect(server.opened).toBe(2)

    await user.click(screen.getByRole('checkbox', { name: 'default' }))
    await screen.findByText('100')
    expect(server.opened).toBe(3)
  })

  it('applies the chosen update rate to the running manager', async () => {
    const user = userEvent.setup()
    // The app's throttle is a minute: a second tick would not show within this test.
    const config = { url: server.url, WebSocket, throttleMs: 60_000 }
    render(app(createStreamSettingsStore({ name: key }), config))
    await screen.findByText('100')
    server.send(server.delta('BTC-USD', { price: 101 }))

    await user.selectOptions(screen.getByRole('combobox', { name: 'rate' }), '0')
    await screen.findByText('101')
    expect(stored()).toMatchObject({ state: { throttleMs: 0 } })
  })

  it('follows another tab: a storage event for the key re-reads the settings and applies them', async () => {
    const config = { url: server.url, WebSocket, throttleMs: 0 }
    render(app(createStreamSettingsStore({ name: key }), config))
    await server.waitFor(() => server.openNow === 1)

    // The other tab's store writes the same key; the browser tells this tab with an event.
    const otherTab = createStreamSettingsStore({ name: key, eventTarget: undefined })
    otherTab.setEnabled('default', false)
    await act(async () => {
      window.dispatchEvent(
        new StorageEvent('storage', { key, newValue: localStorage.getItem(key) }),
      )
    })
    await server.waitFor(() => server.openNow === 0)
    expect(screen.getByRole('checkbox', { name: 'default' })).not.toBeChecked()

    // An event for another key changes nothing.
    otherTab.setEnabled('default', true)
    await act(async () => {
      window.dispatchEvent(new StorageEvent('storage', { key: 'someone-else' }))
    })
    expect(screen.getByRole('checkbox', { name: 'default' })).not.toBeChecked()
  })

  it('removes its storage listener when the last user unmounts', async () => {
    const add = vi.spyOn(window, 'addEventListener')
    const remove = vi.spyOn(window, 'removeEventListener')
    const view = render(
      app(createStreamSettingsStore({ name: key }), { url: server.url, WebSocket }),
    )
    await settle()
    const storageAdds = add.mock.calls.filter(([type]) => type === 'storage').length
    expect(storageAdds).toBeGreaterThan(0)
    view.unmount()
    await settle()
    expect(remove.mock.calls.filter(([type]) => type === 'storage')).toHaveLength(storageAdds)
  })
})

describe('stream settings: bad stored data', () => {
  const cases: [string, string][] = [
    ['garbage that is not JSON', '{"state": {"enabled": '],
    ['JSON of another shape', JSON.stringify(['not', 'settings'])],
    ['an envelope without a version', JSON.stringify({ state: { throttleMs: 5 } })],
    [
      'a newer version',
      JSON.stringify({ state: { throttleMs: 5 }, version: STREAM_SETTINGS_VERSION + 1 }),
    ],
    [
      'fields of the wrong type',
      JSON.stringify({ state: { enabled: { default: 'no' }, throttleMs: -5 }, version: 1 }),
    ],
  ]

  it.each(cases)('%s is ignored with one warning and the defaults stand', async (_, text) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    localStorage.setItem(key, text)
    const config = { url: server.url, WebSocket, throttleMs: 0 }
    render(app(createStreamSettingsStore({ name: key }), config))
    await screen.findByText('100')
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^tickwire: stream settings: /)
    expect(screen.getByRole('checkbox', { name: 'default' })).toBeChecked()
    expect(screen.getByRole('combobox', { name: 'rate' })).toHaveValue('')
  })

  it('__proto__ and constructor keys pollute no prototype; valid fields beside them are kept', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    localStorage.setItem(
      key,
      '{"state":{"enabled":{"__proto__":{"polluted":true},"constructor":false,"default":false},' +
        '"throttleMs":1000,"__proto__":{"polluted":true}},"version":1,"__proto__":{"polluted":true}}',
    )
    const store = createStreamSettingsStore({ name: key })
    const undo = store.connect()
    expect(warn).toHaveBeenCalledTimes(1)
    const state = store.store.getState()
    expect(state.throttleMs).toBe(1000)
    expect(Object.keys(state.enabled)).toEqual(['default'])
    expect(Object.getPrototypeOf(state.enabled)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false)
    undo()
  })

  it('settings of an older version are migrated: valid fields kept and rewritten at the current version', () => {
    localStorage.setItem(
      key,
      JSON.stringify({ state: { enabled: { default: false }, throttleMs: 250 }, version: 0 }),
    )
    const store = createStreamSettingsStore({ name: key })
    const undo = store.connect()
    expect(store.store.getState()).toEqual({ enabled: { default: false }, throttleMs: 250 })
    expect(stored()).toEqual({
      state: { enabled: { default: false }, throttleMs: 250 },
      version: STREAM_SETTINGS_VERSION,
    })
    undo()
  })

  it('a storage that throws (disabled cookies) warns once and the settings still work in the page', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = {
      getItem() {
        throw new DOMException('denied', 'SecurityError')
      },
      setItem() {
        throw new DOMException('full', 'QuotaExceededError')
      },
      removeItem() {},
    } as unknown as Storage
    const store = createStreamSettingsStore({ name: key, storage: () => broken })
    const undo = store.connect()
    expect(warn).toHaveBeenCalledTimes(1)
    expect(store.setThrottle(250)).toBe(true)
    expect(store.store.getState().throttleMs).toBe(250)
    expect(warn).toHaveBeenCalledTimes(2) // the failed write, reported once
    undo()
  })

  it('setters refuse bad input without throwing or changing anything', () => {
    const store = createStreamSettingsStore({ name: key })
    expect(store.setThrottle(-1)).toBe(false)
    expect(store.setThrottle(Number.NaN)).toBe(false)
    expect(store.setThrottle(60_001)).toBe(false)
    expect(store.setEnabled('__proto__', false)).toBe(false)
    expect(store.setEnabled('', false)).toBe(false)
    expect(store.store.getState()).toEqual({ enabled: {}, throttleMs: null })
    expect(localStorage.getItem(key)).toBeNull()
  })
})
