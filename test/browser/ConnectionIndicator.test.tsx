import { afterEach, describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { createRef, Profiler } from 'react'
import { ConnectionIndicator, STATUS_KINDS, STATUS_LABELS } from '../../src/components'
import '../../src/components/styles.css'
import { createStreamManager } from '../../src/core/manager'
import { StreamProvider } from '../../src/react'
import { connectionInfo, stateFixtures } from '../../stories/fixtures'
import { createSimulatedFeed, SIMULATED_URL } from '../../stories/simulatedFeed'

const fixtures = stateFixtures(Date.now())
const root = () => document.querySelector<HTMLElement>('.tw-connection-indicator') as HTMLElement
const dot = () =>
  document.querySelector<HTMLElement>('.tw-connection-indicator__dot') as HTMLElement

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn()
})

describe('ConnectionIndicator', () => {
  it.each(STATUS_KINDS)('%s: named "Connection: <state>" with data-status', async (kind) => {
    const screen = await render(<ConnectionIndicator connections={{ default: fixtures[kind] }} />)
    await expect
      .element(screen.getByRole('button', { name: `Connection: ${STATUS_LABELS[kind]}` }))
      .toBeVisible()
    expect(root().dataset['status']).toBe(kind)
  })

  it('takes a label, className, style and ref', async () => {
    const ref = createRef<HTMLSpanElement>()
    const screen = await render(
      <ConnectionIndicator
        ref={ref}
        label="Prices feed"
        className="mine"
        style={{ margin: 3 }}
        connections={{ default: fixtures.live }}
      />,
    )
    await expect.element(screen.getByRole('button', { name: 'Prices feed: Live' })).toBeVisible()
    expect(ref.current).toBe(root())
    expect(root().className).toBe('tw-connection-indicator mine')
    expect(root().style.margin).toBe('3px')
  })

  it('opens the same statistics tooltip on keyboard focus', async () => {
    await render(<ConnectionIndicator connections={{ default: fixtures.polling }} />)
    await userEvent.keyboard('{Tab}')
    const tooltip = page.getByRole('tooltip')
    await expect.element(tooltip).toHaveTextContent('Polling (fallback, attempt 4)')
    await expect.element(tooltip).toHaveTextContent(/Polling for\s*3\ds/)
  })

  it('pulses when the message count grows (controlled)', async () => {
    const at = (messagesIn: number) => ({
      default: connectionInfo({ status: 'open', stats: { ...fixtures.live.stats, messagesIn } }),
    })
    // Mounting with messages already counted is not "data arriving".
    const screen = await render(<ConnectionIndicator connections={at(100)} />)
    expect(dot().dataset['pulse']).toBeUndefined()
    await screen.rerender(<ConnectionIndicator connections={at(105)} />)
    expect(dot().dataset['pulse']).toBe('a')
  })

  it('pulses as data arrives from a provider, without a React render per message', async () => {
    const feed = createSimulatedFeed({ connectDelayMs: 10, rate: 30, updateShare: 1 })
    const manager = createStreamManager({
      url: SIMULATED_URL,
      WebSocket: feed.WebSocket,
      heartbeatIntervalMs: 60_000,
    })
    cleanups.push(() => {
      manager.destroy()
      feed.destroy()
    })
    let renders = 0
    await render(
      <StreamProvider manager={manager}>
        <Profiler id="dot" onRender={() => (renders += 1)}>
          <ConnectionIndicator />
        </Profiler>
      </StreamProvider>,
    )
    await expect.poll(() => root().dataset['status'], { timeout: 3_000 }).toBe('live')
    const release = manager.subscribe(['BTC-USD', 'ETH-USD'])
    cleanups.push(release)
    await expect.poll(() => dot().dataset['pulse'], { timeout: 3_000 }).toMatch(/^[ab]$/)
    const rendersBefore = renders
    const messagesBefore = manager.getStats().messagesIn
    const seen = new Set<string | undefined>()
    const observer = new MutationObserver(() => seen.add(dot().dataset['pulse']))
    observer.observe(dot(), { attributes: true, attributeFilter: ['data-pulse'] })
    await expect.poll(() => seen.size, { timeout: 4_000 }).toBe(2)
    observer.disconnect()
    expect(manager.getStats().messagesIn - messagesBefore).toBeGreaterThan(10)
    expect(renders - rendersBefore).toBe(0)
  })
})
