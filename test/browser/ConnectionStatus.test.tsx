import { afterEach, describe, expect, it, vi } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { createRef } from 'react'
import { ConnectionStatus, STATUS_KINDS, STATUS_LABELS } from '../../src/components'
import '../../src/components/styles.css'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { StreamProvider } from '../../src/react'
import { connectionInfo, stateFixtures } from '../../stories/fixtures'
import { createSimulatedFeed, SIMULATED_URL, type SimulatedFeed } from '../../stories/simulatedFeed'

const now = Date.now()
const fixtures = stateFixtures(now)
const root = () => document.querySelector<HTMLElement>('.tw-connection-status')

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn()
})

/** A real manager on the stories' simulated feed, destroyed after the test. */
function managerOnFeed(feedOptions: Parameters<typeof createSimulatedFeed>[0] = {}): {
  manager: StreamManager
  feed: SimulatedFeed
} {
  const feed = createSimulatedFeed({ connectDelayMs: 10, ...feedOptions })
  const manager = createStreamManager({
    url: SIMULATED_URL,
    WebSocket: feed.WebSocket,
    heartbeatIntervalMs: 200,
    reconnect: { initialDelayMs: 5_000, maxDelayMs: 5_000, jitter: 0 },
  })
  cleanups.push(() => {
    manager.destroy()
    feed.destroy()
  })
  return { manager, feed }
}

describe('ConnectionStatus states (controlled)', () => {
  it.each(STATUS_KINDS)('%s: shows its text and data-status', async (kind) => {
    const screen = await render(<ConnectionStatus connections={{ default: fixtures[kind] }} />)
    await expect.element(screen.getByRole('status')).toHaveTextContent(STATUS_LABELS[kind])
    expect(root()?.dataset['status']).toBe(kind)
  })

  it('closed and gave-up connections read Offline', async () => {
    const screen = await render(
      <>
        <ConnectionStatus connections={{ default: fixtures.closed }} />
        <ConnectionStatus connections={{ default: fixtures.gaveUp }} />
      </>,
    )
    const statuses = screen.getByRole('status').elements()
    expect(statuses.map((el) => el.getAttribute('data-status'))).toEqual(['offline', 'offline'])
  })

  it('an open connection is Delayed above delayedAfterMs, or when a shown price is stale', async () => {
    const screen = await render(
      <>
        <ConnectionStatus connections={{ default: fixtures.live }} delayedAfterMs={10} />
        <ConnectionStatus connections={{ default: fixtures.live }} stale />
        <ConnectionStatus connections={{ default: fixtures.live }} />
      </>,
    )
    const statuses = screen.getByRole('status').elements()
    expect(statuses.map((el) => el.getAttribute('data-status'))).toEqual([
      'delayed',
      'delayed',
      'live',
    ])
  })

  it('Reconnecting counts down to the next attempt, out of the live region', async () => {
    const info = connectionInfo({
      status: 'reconnecting',
      attempt: 1,
      nextRetryAt: Date.now() + 4_500,
    })
    await render(<ConnectionStatus connections={{ default: info }} />)
    const countdown = document.querySelector('.tw-connection-status__countdown')
    await expect.element(page.elementLocator(countdown as Element)).toHaveTextContent(/in [45]s/)
    expect(countdown?.getAttribute('aria-hidden')).toBe('true')
  })

  it('shows the worst of several connections', async () => {
    const screen = await render(
      <ConnectionStatus
        connections={{ a: fixtures.live, b: fixtures.reconnecting, c: fixtures.delayed }}
      />,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Reconnecting')
  })

  it('passes className, style, other attributes and the ref to the root', async () => {
    const ref = createRef<HTMLSpanElement>()
    await render(
      <ConnectionStatus
        ref={ref}
        connections={{ default: fixtures.live }}
        className="mine"
        style={{ marginLeft: 7 }}
        data-testid="pill"
      />,
    )
    expect(ref.current).toBe(root())
    expect(ref.current?.className).toBe('tw-connection-status mine')
    expect(ref.current?.style.marginLeft).toBe('7px')
    expect(ref.current?.dataset['testid']).toBe('pill')
  })

  it('compact mode has no countdown and no reconnect button', async () => {
    const screen = await render(
      <ConnectionStatus connections={{ default: fixtures.reconnecting }} compact />,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Reconnecting')
    expect(root()?.hasAttribute('data-compact')).toBe(true)
    expect(document.querySelector('.tw-connection-status__countdown')).toBeNull()
    expect(document.querySelector('.tw-connection-status__reconnect')).toBeNull()
  })
})

describe('ConnectionStatus tooltip', () => {
  it('opens on hover with status, reason, latency, traffic, reconnects, dropped/invalid and next retry', async () => {
    const screen = await render(
      <ConnectionStatus connections={{ default: fixtures.reconnecting }} />,
    )
    await userEvent.hover(screen.getByRole('button', { name: /Connection/ }))
    const tooltip = page.getByRole('tooltip')
    await expect.element(tooltip).toHaveTextContent('Reconnecting (reconnecting, attempt 2)')
    await expect.element(tooltip).toHaveTextContent('server_close:1006')
    await expect.element(tooltip).toHaveTextContent('45 ms')
    await expect.element(tooltip).toHaveTextContent('18,432 in / 212 out')
    await expect.element(tooltip).toHaveTextContent('2.7 MB in / 9.4 KB out')
    await expect.element(tooltip).toHaveTextContent(/Reconnects\s*3/)
    await expect.element(tooltip).toHaveTextContent('0 / 3')
    await expect.element(tooltip).toHaveTextContent(/Next retry\s*in \ds/)
  })

  it('opens on keyboard focus and shows the time connected', async () => {
    const screen = await render(<ConnectionStatus connections={{ default: fixtures.live }} />)
    await userEvent.keyboard('{Tab}')
    await expect.element(screen.getByRole('button', { name: /Connection/ })).toHaveFocus()
    const tooltip = page.getByRole('tooltip')
    await expect.element(tooltip).toHaveTextContent('42 ms (avg 47 ms)')
    await expect.element(tooltip).toHaveTextContent(/Connected for\s*12m 3\ds/)
  })

  it('lists every connection by name, markup in names and reasons shown as text', async () => {
    const evil = '<img src=x onerror="window.__tw_pwned=1">'
    const info = connectionInfo({
      status: 'reconnecting',
      reason: '<b>bold</b>',
      nextRetryAt: Date.now() + 3_000,
    })
    const screen = await render(
      <ConnectionStatus connections={{ [evil]: info, prices: fixtures.live }} />,
    )
    await userEvent.hover(screen.getByRole('button', { name: /Connection/ }))
    const tooltip = page.getByRole('tooltip')
    await expect.element(tooltip).toHaveTextContent(evil)
    await expect.element(tooltip).toHaveTextContent('<b>bold</b>')
    await expect.element(tooltip).toHaveTextContent('prices')
    expect(
      document.querySelector(
        '.tw-connection-status__tooltip img, .tw-connection-status__tooltip b',
      ),
    ).toBeNull()
    expect((window as unknown as Record<string, unknown>)['__tw_pwned']).toBeUndefined()
  })
})

describe('ConnectionStatus reconnect button', () => {
  it('calls onReconnect in controlled mode', async () => {
    const onReconnect = vi.fn()
    const screen = await render(
      <ConnectionStatus connections={{ default: fixtures.offline }} onReconnect={onReconnect} />,
    )
    await screen.getByRole('button', { name: 'Reconnect', exact: true }).click()
    expect(onReconnect).toHaveBeenCalledTimes(1)
  })

  it('is absent while Live and Connecting', async () => {
    const screen = await render(
      <>
        <ConnectionStatus connections={{ default: fixtures.live }} />
        <ConnectionStatus connections={{ default: fixtures.connecting }} />
      </>,
    )
    await expect.element(screen.getByRole('status').first()).toHaveTextContent('Live')
    expect(document.querySelector('.tw-connection-status__reconnect')).toBeNull()
  })

  it("calls the provider's reconnect(), unless onReconnect prevents it", async () => {
    const { manager } = managerOnFeed({ refuseConnections: true })
    const reconnect = vi.spyOn(manager, 'reconnect')
    const onReconnect = vi.fn()
    const screen = await render(
      <StreamProvider manager={manager}>
        <ConnectionStatus onReconnect={onReconnect} />
      </StreamProvider>,
    )
    const button = screen.getByRole('button', { name: 'Reconnect', exact: true })
    await expect.element(screen.getByRole('status')).toHaveTextContent('Reconnecting')
    await button.click()
    expect(onReconnect).toHaveBeenCalledTimes(1)
    expect(reconnect).toHaveBeenCalledWith(undefined)

    await screen.rerender(
      <StreamProvider manager={manager}>
        <ConnectionStatus connection="default" onReconnect={(event) => event.preventDefault()} />
      </StreamProvider>,
    )
    reconnect.mockClear()
    await button.click()
    expect(reconnect).not.toHaveBeenCalled()
  })
})

describe('ConnectionStatus with a provider', () => {
  it('follows the connection: Live, then Reconnecting when the feed drops', async () => {
    const { manager, feed } = managerOnFeed()
    const screen = await render(
      <StreamProvider manager={manager}>
        <ConnectionStatus />
      </StreamProvider>,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Live')
    feed.drop()
    await expect.element(screen.getByRole('status')).toHaveTextContent(/Reconnecting/)
    expect(root()?.dataset['status']).toBe('reconnecting')
  })

  it('turns Delayed when a shown price goes stale while the socket stays open', async () => {
    const feed = createSimulatedFeed({ connectDelayMs: 10, rate: 20, updateShare: 1 })
    const manager = createStreamManager({
      url: SIMULATED_URL,
      WebSocket: feed.WebSocket,
      staleAfterMs: 300,
      heartbeatIntervalMs: 60_000,
    })
    cleanups.push(() => {
      manager.destroy()
      feed.destroy()
    })
    const screen = await render(
      <StreamProvider manager={manager}>
        <ConnectionStatus />
      </StreamProvider>,
    )
    cleanups.push(manager.subscribe(['BTC-USD']))
    await expect.poll(() => manager.store.getState().prices['BTC-USD']?.price).toBeTypeOf('number')
    await expect.element(screen.getByRole('status')).toHaveTextContent('Live')
    feed.update({ stalled: true })
    await expect
      .element(screen.getByRole('status'), { timeout: 3_000 })
      .toHaveTextContent('Delayed')
    expect(manager.store.getState().connections['default']?.status).toBe('open')
  })

  it('announces state changes only: the live region text stays put while messages flow', async () => {
    const { manager } = managerOnFeed({ rate: 30 })
    const screen = await render(
      <StreamProvider manager={manager}>
        <ConnectionStatus />
      </StreamProvider>,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Live')
    const release = manager.subscribe(['BTC-USD', 'ETH-USD', 'SOL-USD'])
    cleanups.push(release)
    const region = root() as HTMLElement
    const changes: MutationRecord[] = []
    const observer = new MutationObserver((records) => changes.push(...records))
    observer.observe(region, { subtree: true, childList: true, characterData: true })
    const before = manager.getStats().messagesIn
    await expect
      .poll(() => manager.getStats().messagesIn - before, { timeout: 3_000 })
      .toBeGreaterThan(10)
    observer.disconnect()
    expect(changes).toEqual([])
  })
})
