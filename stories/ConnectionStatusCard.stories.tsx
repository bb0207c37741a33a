import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { fn } from 'storybook/test'
import {
  ConnectionStatusCard,
  STATUS_KINDS,
  type ConnectionStatusCardProps,
} from '../src/components'
import { usePriceStream } from '../src/react'
import { FeedControls } from './FeedControls'
import { stateFixtures } from './fixtures'
import { SimulatedProvider, useSimulatedFeed } from './useSimulatedFeed'

type Fixture = keyof ReturnType<typeof stateFixtures>

const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'AAPL', 'MSFT']

/** A controlled card showing one fixture state, with times relative to its first render. */
function StateCard({ state, ...props }: ConnectionStatusCardProps & { state: Fixture }) {
  const [now] = useState(() => Date.now())
  const info = stateFixtures(now)[state]
  // While closed or offline nothing is sent, so frames wait in the queue.
  const queuedFrames = info.status === 'open' ? 0 : 3
  return (
    <ConnectionStatusCard
      connection="prices"
      {...props}
      connections={{ prices: { ...info, queuedFrames } }}
      symbols={{ prices: SYMBOLS }}
    />
  )
}

const meta = {
  title: 'Components/ConnectionStatusCard',
  component: ConnectionStatusCard,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'A dashboard card for one connection or for all of them: the state in words and ' +
          'colour (with `data-status` on the root, as `ConnectionStatus` has), a description ' +
          'list of latency, traffic, reconnects, last message, socket uptime, symbols, queued ' +
          'frames and fallback, and Reconnect / Disconnect buttons. The state stories are ' +
          'controlled (`connections` prop); the last one runs on the simulated feed.',
      },
    },
  },
  args: { delayedAfterMs: 1000, onReconnect: fn(), onDisconnect: fn() },
} satisfies Meta<typeof ConnectionStatusCard>

export default meta
type Story = StoryObj<typeof meta>

/** The first attempt is under way. */
export const Connecting: Story = { render: (args) => <StateCard {...args} state="connecting" /> }

/** Open, with a fresh ping well under `delayedAfterMs`. */
export const Live: Story = { render: (args) => <StateCard {...args} state="live" /> }

/** Open, but the last ping took longer than `delayedAfterMs`. */
export const Delayed: Story = { render: (args) => <StateCard {...args} state="delayed" /> }

/** Waiting for the next attempt after a drop. */
export const Reconnecting: Story = {
  render: (args) => <StateCard {...args} state="reconnecting" />,
}

/** The socket keeps failing: prices come from REST polling; the fallback row says why. */
export const Polling: Story = { render: (args) => <StateCard {...args} state="polling" /> }

/** The browser is offline. */
export const Offline: Story = { render: (args) => <StateCard {...args} state="offline" /> }

/** Closed by `disconnect()`: Disconnect is disabled, Reconnect opens it again. */
export const OfflineClosed: Story = { render: (args) => <StateCard {...args} state="closed" /> }

/** Gave up after the last attempt (`error`, `max_attempts`). */
export const OfflineGaveUp: Story = { render: (args) => <StateCard {...args} state="gaveUp" /> }

/** One card for all connections: the header shows the worst state, each connection its own. */
export const AllConnections: Story = {
  render: function AllConnections(args) {
    const [now] = useState(() => Date.now())
    const f = stateFixtures(now)
    return (
      <ConnectionStatusCard
        {...args}
        connections={{ prices: f.live, orders: f.reconnecting, news: f.delayed }}
        symbols={{ prices: SYMBOLS, orders: [], news: ['NEWS'] }}
      />
    )
  },
}

/** Every state, in the light and the dark scheme (the state-matrix approach). */
export const AllStates: Story = {
  render: function AllStates(args) {
    return (
      <div className="sb-stack">
        {(['light', 'dark'] as const).map((theme) => (
          <div key={theme} className="sb-theme-panel" data-tw-theme={theme}>
            <div className="sb-row" style={{ alignItems: 'flex-start' }}>
              {STATUS_KINDS.map((kind) => (
                <StateCard
                  key={kind}
                  {...args}
                  state={kind}
                  title={`${theme === 'dark' ? 'Dark' : 'Light'}: ${kind}`}
                  showActions={false}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
    )
  },
}

/**
 * On the simulated feed, reading the provider: the counters move, the buttons call the
 * manager; use the controls to drop, refuse reconnects (Polling) or go offline.
 */
export const WithSimulatedFeed: Story = {
  render: function WithSimulatedFeed(args) {
    const feed = useSimulatedFeed({ symbolCount: 3 })
    return (
      <SimulatedProvider feed={feed}>
        <div className="sb-stack">
          <SubscribedCard {...args} />
          <FeedControls feed={feed} symbolSlider={false} />
        </div>
      </SimulatedProvider>
    )
  },
}

const LIVE_SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD']

/** The card and something that subscribes, so the Symbols row and the counters have content. */
function SubscribedCard(props: ConnectionStatusCardProps) {
  usePriceStream(LIVE_SYMBOLS)
  return <ConnectionStatusCard {...props} />
}
