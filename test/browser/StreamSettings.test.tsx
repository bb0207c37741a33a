import { afterEach, describe, expect, it } from 'vitest'
import { render } from 'vitest-browser-react'
import type { ReactNode } from 'react'
import { StreamProvider, useConnectionStatus, useStreamSettings } from '../../src/react'
import { createStreamSettingsStore, type StreamSettingsStore } from '../../src/react/settingsStore'
import { createSimulatedFeed, SIMULATED_URL } from '../../stories/simulatedFeed'

const KEY = 'tickwire:settings:browser-test'
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn()
  localStorage.removeItem(KEY)
})

/** Another document of the same origin, sharing this page's localStorage: a second tab. */
function secondTab(): Window {
  const frame = document.createElement('iframe')
  document.body.append(frame)
  cleanups.push(() => frame.remove())
  const win = frame.contentWindow
  if (!win) throw new Error('no iframe window')
  return win
}

function Panel({ store }: { store: StreamSettingsStore }): ReactNode {
  const { connections, throttleMs } = useStreamSettings({ store })
  const { status } = useConnectionStatus()
  return (
    <p data-testid="panel">
      {connections.map((c) => `${c.name} ${c.enabled ? 'on' : 'off'}`).join(', ')}, rate{' '}
      {throttleMs ?? 'default'}, {status}
    </p>
  )
}

describe('stream settings across tabs (Chromium)', () => {
  it("another tab's change reaches this page through the browser's storage event and applies to the manager", async () => {
    const feed = createSimulatedFeed({ rate: 0 })
    cleanups.push(() => feed.destroy())
    const here = createStreamSettingsStore({ name: KEY })
    const screen = await render(
      <StreamProvider config={{ url: SIMULATED_URL, WebSocket: feed.WebSocket }}>
        <Panel store={here} />
      </StreamProvider>,
    )
    cleanups.push(() => void screen.unmount())
    await expect
      .element(screen.getByTestId('panel'))
      .toHaveTextContent('default on, rate default, open')

    const tab = secondTab()
    const there = createStreamSettingsStore({
      name: KEY,
      storage: () => tab.localStorage,
      eventTarget: tab,
    })
    cleanups.push(there.connect())
    expect(there.setEnabled('default', false)).toBe(true)
    expect(there.setThrottle(250)).toBe(true)
    await expect
      .element(screen.getByTestId('panel'))
      .toHaveTextContent('default off, rate 250, closed')

    // And back: this page's change reaches the other tab.
    here.setEnabled('default', true)
    await expect.poll(() => there.store.getState().enabled).toEqual({})
    await expect
      .element(screen.getByTestId('panel'))
      .toHaveTextContent('default on, rate 250, open')
  })
})
