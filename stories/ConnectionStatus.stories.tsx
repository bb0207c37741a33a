import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, userEvent, within } from 'storybook/test'
import { ConnectionStatus, PriceFlash, type ConnectionStatusProps } from '../src/components'
import { FeedControls } from './FeedControls'
import { stateFixtures } from './fixtures'
import { SimulatedProvider, useSimulatedFeed } from './useSimulatedFeed'

type Fixture = keyof ReturnType<typeof stateFixtures>

/** A controlled pill showing one fixture state, with times relative to its first render. */
function StateDemo({ state, ...props }: ConnectionStatusProps & { state: Fixture }) {
  const [now] = useState(() => Date.now())
  return <ConnectionStatus {...props} connections={{ default: stateFixtures(now)[state] }} />
}

/** The usage snippet at the end of the docs page's description. */
const USAGE = `

**Usage**

\`\`\`tsx
import { ConnectionStatus, StreamProvider } from 'tickwire'
import 'tickwire/styles.css' // optional default look

<StreamProvider url="wss://feed.example.com/ws">
  <ConnectionStatus />                        {/* the worst of all connections */}
  <ConnectionStatus connection="crypto" compact />
</StreamProvider>

// Controlled, without a provider (tests, docs, your own state):
<ConnectionStatus connections={{ default: info }} />
\`\`\`

Props, parts and styling: docs/guides/components.md in the repository.`

const meta = {
  title: 'Components/ConnectionStatus',
  component: ConnectionStatus,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'A status pill for one connection or the worst of all of them. Hover it or focus it ' +
          'with the keyboard for the statistics tooltip. The root is a polite `role="status"` ' +
          'live region that only announces state changes, and carries `data-status` ' +
          '(`connecting | live | delayed | reconnecting | polling | offline`). The state ' +
          'stories below are controlled (`connections` prop); the last one runs on the ' +
          'simulated feed.' +
          USAGE,
      },
    },
  },
  args: { compact: false, showReconnect: true, delayedAfterMs: 1000, onReconnect: fn() },
} satisfies Meta<typeof ConnectionStatus>

export default meta
type Story = StoryObj<typeof meta>

/** The first attempt is under way. */
export const Connecting: Story = { render: (args) => <StateDemo {...args} state="connecting" /> }

/** Open, with a fresh ping well under `delayedAfterMs`. */
export const Live: Story = { render: (args) => <StateDemo {...args} state="live" /> }

/** Open, but the last ping took longer than `delayedAfterMs` (or a shown price is stale). */
export const Delayed: Story = { render: (args) => <StateDemo {...args} state="delayed" /> }

/** Waiting for the next attempt after a drop; the countdown runs to it. */
export const Reconnecting: Story = {
  render: (args) => <StateDemo {...args} state="reconnecting" />,
}

/** The socket keeps failing: prices come from REST polling while attempts go on. */
export const Polling: Story = { render: (args) => <StateDemo {...args} state="polling" /> }

/** The browser is offline; attempts wait until it is back. */
export const Offline: Story = { render: (args) => <StateDemo {...args} state="offline" /> }

/** Offline after `disconnect()`: the tooltip gives the reason. */
export const OfflineClosed: Story = { render: (args) => <StateDemo {...args} state="closed" /> }

/** Offline because the attempts are spent (`error`, `max_attempts`). */
export const OfflineGaveUp: Story = { render: (args) => <StateDemo {...args} state="gaveUp" /> }

/** Compact: the dot and the word, for tight headers. */
export const Compact: Story = {
  args: { compact: true },
  render: (args) => (
    <div className="sb-row">
      {(['connecting', 'live', 'delayed', 'reconnecting', 'polling', 'offline'] as const).map(
        (state) => (
          <StateDemo key={state} {...args} state={state} />
        ),
      )}
    </div>
  ),
}

/** The tooltip, opened from the keyboard (Tab), as a screen reader user would. */
export const TooltipOpen: Story = {
  render: (args) => (
    <div style={{ minHeight: 300 }}>
      <StateDemo {...args} state="reconnecting" />
    </div>
  ),
  play: async ({ canvasElement }) => {
    await userEvent.tab()
    // The tooltip lives in a portal; what the canvas shows is its focused trigger.
    await expect(within(canvasElement).getByRole('button', { name: /Connection/ })).toHaveFocus()
  },
}

/** Several connections: the pill shows the worst, the tooltip lists each. */
export const SeveralConnections: Story = {
  render: function SeveralConnections(args) {
    const [now] = useState(() => Date.now())
    const f = stateFixtures(now)
    return (
      <div style={{ minHeight: 420 }}>
        <ConnectionStatus
          {...args}
          connections={{ prices: f.live, orders: f.reconnecting, news: f.delayed }}
        />
      </div>
    )
  },
  play: async () => {
    await userEvent.tab()
  },
}

/**
 * On the simulated feed: use the controls to drop the connection (Reconnecting), refuse
 * reconnects (Polling after three failures), raise the ping latency above 1000 ms (Delayed),
 * stall, or go offline.
 */
export const WithSimulatedFeed: Story = {
  render: function WithSimulatedFeed(args) {
    const feed = useSimulatedFeed({ symbolCount: 3 })
    return (
      <SimulatedProvider feed={feed}>
        <div className="sb-stack">
          <div className="sb-row">
            <ConnectionStatus {...args} />
            <span>
              BTC-USD <PriceFlash symbol="BTC-USD" locale="en-US" maximumFractionDigits={2} />
            </span>
            <span>
              ETH-USD <PriceFlash symbol="ETH-USD" locale="en-US" maximumFractionDigits={2} />
            </span>
          </div>
          <FeedControls feed={feed} symbolSlider={false} />
        </div>
      </SimulatedProvider>
    )
  },
}
