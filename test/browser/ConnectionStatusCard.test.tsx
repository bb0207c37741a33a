import axe from 'axe-core'
import { createRef } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { ConnectionStatusCard, STATUS_KINDS, STATUS_LABELS } from '../../src/components'
import '../../src/components/styles.css'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { StreamProvider, usePriceStream } from '../../src/react'
import { connectionInfo, stateFixtures } from '../../stories/fixtures'
import { createSimulatedFeed, SIMULATED_URL, type SimulatedFeed } from '../../stories/simulatedFeed'

const now = Date.now()
const fixtures = stateFixtures(now)
const card = () => document.querySelector<HTMLElement>('.tw-status-card')
/** The value of the row `key` of the (first or given) connection group. */
const row = (key: string, scope: ParentNode = document) =>
  scope.querySelector(`[data-row="${key}"] dd`)?.textContent ?? null

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn()
})

/** A real manager on the stories' simulated feed (the whole pipeline), destroyed after the test. */
function managerOnFeed(
  options: Parameters<typeof createSimulatedFeed>[0] = {},
  name = 'default',
): { manager: StreamManager; feed: SimulatedFeed } {
  const feed = createSimulatedFeed({ connectDelayMs: 10, rate: 20, updateShare: 1, ...options })
  const manager = createStreamManager({
    connections: {
      [name]: {
        url: SIMULATED_URL,
        WebSocket: feed.WebSocket,
        heartbeatIntervalMs: 200,
        reconnect: { initialDelayMs: 5_000, maxDelayMs: 5_000, jitter: 0 },
      },
    },
  })
  cleanups.push(() => {
    manager.destroy()
    feed.destroy()
  })
  return { manager, feed }
}

const WATCHED = ['BTC-USD', 'ETH-USD']
function Watch({ symbols = WATCHED }: { symbols?: string[] }) {
  usePriceStream(symbols)
  return null
}

describe('ConnectionStatusCard (controlled)', () => {
  it.each(STATUS_KINDS)(
    '%s: data-status, the state in words and a description list',
    async (kind) => {
      const screen = await render(
        <ConnectionStatusCard connection="prices" connections={{ prices: fixtures[kind] }} />,
      )
      await expect.element(screen.getByRole('status')).toHaveTextContent(STATUS_LABELS[kind])
      expect(card()?.dataset['status']).toBe(kind)
      expect(card()?.dataset['connection']).toBe('prices')
      // A labelled region, named by its heading.
      await expect.element(screen.getByRole('region', { name: 'prices' })).toBeVisible()
      const terms = [...document.querySelectorAll('.tw-status-card dt')].map((dt) => dt.textContent)
      expect(terms).toEqual(expect.arrayContaining(['State', 'Latency', 'Messages', 'Bytes']))
      expect(document.querySelectorAll('.tw-status-card dd')).toHaveLength(terms.length)
    },
  )

  it('shows latency last and smoothed, traffic, reconnects, last message, retry, symbols and queue', async () => {
    await render(
      <ConnectionStatusCard
        connection="prices"
        connections={{ prices: { ...fixtures.reconnecting, queuedFrames: 4 } }}
        symbols={{ prices: ['BTC-USD', 'ETH-USD'] }}
      />,
    )
    expect(row('state')).toBe('Reconnecting (reconnecting, attempt 2)')
    expect(row('reason')).toBe('server_close:1006')
    expect(row('latency')).toBe('45 ms last')
    expect(row('messages')).toBe('18,432 in / 212 out')
    expect(row('bytes')).toBe('2.7 MB in / 9.4 KB out')
    expect(row('reconnects')).toBe('3')
    expect(row('last-message')).toMatch(/^\ds ago$/)
    expect(row('next-retry')).toMatch(/^in [67]s$/)
    expect(row('symbols')).toBe('2: BTC-USD, ETH-USD')
    expect(row('queued')).toBe('4')
    // Not open: no socket uptime.
    expect(row('uptime')).toBeNull()
  })

  it('Live shows the smoothed latency and the uptime of the socket', async () => {
    await render(<ConnectionStatusCard connections={{ default: fixtures.live }} />)
    expect(row('latency')).toBe('42 ms last, 47 ms smoothed')
    expect(row('uptime')).toMatch(/^12m 3\ds$/)
    expect(row('fallback')).toBeNull()
  })

  it('Polling gives the fallback and its reason', async () => {
    await render(<ConnectionStatusCard connections={{ default: fixtures.polling }} />)
    expect(card()?.dataset['status']).toBe('polling')
    expect(row('fallback')).toMatch(/^the socket keeps failing \(failures\) for 3\ds$/)
  })

  it('for all connections: the worst state on top, each connection in its own group', async () => {
    const screen = await render(
      <ConnectionStatusCard
        connections={{
          prices: fixtures.live,
          orders: fixtures.reconnecting,
          news: fixtures.delayed,
        }}
        headingLevel={2}
      />,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Reconnecting')
    expect(card()?.dataset['status']).toBe('reconnecting')
    await expect.element(screen.getByRole('heading', { level: 2 })).toHaveTextContent('Connections')
    const groups = [...document.querySelectorAll<HTMLElement>('.tw-status-card__connection')]
    expect(groups.map((g) => [g.dataset['connection'], g.dataset['status']])).toEqual([
      ['prices', 'live'],
      ['orders', 'reconnecting'],
      ['news', 'delayed'],
    ])
    expect(
      screen
        .getByRole('heading', { level: 3 })
        .elements()
        .map((h) => h.textContent),
    ).toEqual(['prices', 'orders', 'news'])
  })

  it('passes className, style, other attributes and the ref to the root section', async () => {
    const ref = createRef<HTMLElement>()
    await render(
      <ConnectionStatusCard
        ref={ref}
        connections={{ default: fixtures.live }}
        className="mine"
        style={{ marginLeft: 7 }}
        data-testid="card"
      />,
    )
    expect(ref.current).toBe(card())
    expect(ref.current?.tagName).toBe('SECTION')
    expect(ref.current?.className).toBe('tw-status-card mine')
    expect(ref.current?.style.marginLeft).toBe('7px')
    expect(ref.current?.dataset['testid']).toBe('card')
  })

  it('buttons call onReconnect and onDisconnect; Disconnect is disabled once closed', async () => {
    const onReconnect = vi.fn()
    const onDisconnect = vi.fn()
    const screen = await render(
      <ConnectionStatusCard
        connections={{ default: fixtures.live }}
        onReconnect={onReconnect}
        onDisconnect={onDisconnect}
      />,
    )
    await screen.getByRole('button', { name: 'Reconnect' }).click()
    await screen.getByRole('button', { name: 'Disconnect' }).click()
    expect(onReconnect).toHaveBeenCalledTimes(1)
    expect(onDisconnect).toHaveBeenCalledTimes(1)
    await screen.rerender(<ConnectionStatusCard connections={{ default: fixtures.closed }} />)
    await expect.element(screen.getByRole('button', { name: 'Disconnect' })).toBeDisabled()
    await expect.element(screen.getByRole('button', { name: 'Reconnect' })).toBeEnabled()
  })

  it('shows names and reasons as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.__tw_pwned=1">'
    const info = connectionInfo({ status: 'closed', reason: '<b>bold</b>' })
    await render(<ConnectionStatusCard connections={{ [evil]: info }} />)
    expect(document.querySelector('.tw-status-card__connection-name')?.textContent).toBe(evil)
    expect(row('reason')).toBe('<b>bold</b>')
    expect(document.querySelector('.tw-status-card img, .tw-status-card b')).toBeNull()
    expect((window as unknown as Record<string, unknown>)['__tw_pwned']).toBeUndefined()
  })

  it('has no axe violations in any state, light and dark', async () => {
    await render(
      <div>
        {(['light', 'dark'] as const).map((theme) => (
          <div key={theme} data-tw-theme={theme} style={{ background: 'var(--tw-surface)' }}>
            {STATUS_KINDS.map((kind) => (
              <ConnectionStatusCard
                key={kind}
                title={`${theme} ${kind}`}
                connections={{ prices: { ...fixtures[kind], queuedFrames: 2 } }}
                symbols={{ prices: WATCHED }}
              />
            ))}
            <ConnectionStatusCard
              title={`${theme} all`}
              connections={{ a: fixtures.live, b: fixtures.closed }}
            />
          </div>
        ))}
      </div>,
    )
    const results = await axe.run(document.body, { rules: { region: { enabled: false } } })
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
    ).toEqual([])
  })
})

describe('ConnectionStatusCard with a provider (real manager, simulated feed)', () => {
  it('follows the live connection: counters move, symbols and uptime show', async () => {
    const { manager } = managerOnFeed()
    const screen = await render(
      <StreamProvider manager={manager}>
        <Watch />
        <ConnectionStatusCard />
      </StreamProvider>,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Live')
    expect(card()?.dataset['status']).toBe('live')
    await vi.waitFor(() => expect(row('symbols')).toBe('2: BTC-USD, ETH-USD'))
    await vi.waitFor(() => expect(row('uptime')).toMatch(/^\ds$/))
    const messagesIn = () => Number((row('messages') ?? '').split(' in')[0]?.replace(/,/g, ''))
    const first = messagesIn()
    await vi.waitFor(() => expect(messagesIn()).toBeGreaterThan(first + 5), { timeout: 5_000 })
    await vi.waitFor(() => expect(row('latency')).toMatch(/ms last/), { timeout: 5_000 })
    expect(row('bytes')).not.toBe('0 B in / 0 B out')
  })

  it('Disconnect closes through the manager, Reconnect opens again', async () => {
    const { manager } = managerOnFeed()
    const disconnect = vi.spyOn(manager, 'disconnect')
    const screen = await render(
      <StreamProvider manager={manager}>
        <Watch />
        <ConnectionStatusCard connection="default" />
      </StreamProvider>,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Live')
    await screen.getByRole('button', { name: 'Disconnect' }).click()
    expect(disconnect).toHaveBeenCalledWith('default')
    await expect.element(screen.getByRole('status')).toHaveTextContent('Offline')
    expect(card()?.dataset['status']).toBe('offline')
    expect(row('reason')).toBe('disconnected on request (manual)')
    await expect.element(screen.getByRole('button', { name: 'Disconnect' })).toBeDisabled()
    await screen.getByRole('button', { name: 'Reconnect' }).click()
    await expect.element(screen.getByRole('status')).toHaveTextContent('Live')
    await vi.waitFor(() => expect(row('reconnects')).not.toBe('0'))
  })

  it('shows Reconnecting with the next retry when the feed drops', async () => {
    const { manager, feed } = managerOnFeed()
    const screen = await render(
      <StreamProvider manager={manager}>
        <Watch />
        <ConnectionStatusCard />
      </StreamProvider>,
    )
    await expect.element(screen.getByRole('status')).toHaveTextContent('Live')
    feed.update({ refuseConnections: true })
    feed.drop()
    await expect.element(screen.getByRole('status')).toHaveTextContent('Reconnecting')
    await vi.waitFor(() => expect(row('next-retry')).toMatch(/^in [1-5]s$/))
  })

  it('with `connection`, shows that connection only', async () => {
    const feed = createSimulatedFeed({ connectDelayMs: 10 })
    const manager = createStreamManager({
      connections: {
        prices: { url: SIMULATED_URL, WebSocket: feed.WebSocket },
        orders: { url: `${SIMULATED_URL}?orders`, WebSocket: feed.WebSocket, lazy: true },
      },
    })
    cleanups.push(() => {
      manager.destroy()
      feed.destroy()
    })
    const screen = await render(
      <StreamProvider manager={manager}>
        <ConnectionStatusCard connection="orders" />
      </StreamProvider>,
    )
    await expect.element(screen.getByRole('region', { name: 'orders' })).toBeVisible()
    expect(
      [...document.querySelectorAll<HTMLElement>('.tw-status-card__connection')].map(
        (g) => g.dataset['connection'],
      ),
    ).toEqual(['orders'])
  })
})
