import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, userEvent, within } from 'storybook/test'
import {
  ConnectionIndicator,
  ConnectionStatus,
  PriceFlash,
  STATUS_KINDS,
  STATUS_LABELS,
} from '../src/components'
import { FeedControls } from './FeedControls'
import { stateFixtures } from './fixtures'
import { SimulatedProvider, useSimulatedFeed } from './useSimulatedFeed'

/** The usage snippet at the end of the docs page's description. */
const USAGE = `

**Usage**

\`\`\`tsx
import { ConnectionIndicator } from 'tickwire'

// Below a StreamProvider: the worst state of all connections, then one connection.
<ConnectionIndicator />
<ConnectionIndicator label="Orders" connection="orders" pulse={false} />
\`\`\`

Props, parts and styling: docs/guides/components.md in the repository.`

const meta = {
  title: 'Components/ConnectionIndicator',
  component: ConnectionIndicator,
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'A compact dot for headers, with the same tooltip as ConnectionStatus. Its button is ' +
          'named "Connection: Live" and so on; its shape changes with the state; it pulses ' +
          'briefly when data arrives (a CSS animation restarted from a store listener, with ' +
          'no React render per message), never under reduced motion.' +
          USAGE,
      },
    },
  },
  args: { label: 'Connection', pulse: true, delayedAfterMs: 1000 },
} satisfies Meta<typeof ConnectionIndicator>

export default meta
type Story = StoryObj<typeof meta>

/** Each state's dot with its name beside it (controlled). */
export const States: Story = {
  render: function States(args) {
    const [now] = useState(() => Date.now())
    const fixtures = stateFixtures(now)
    return (
      <div className="sb-row">
        {STATUS_KINDS.map((kind) => (
          <span key={kind} className="sb-row" style={{ gap: 2 }}>
            <ConnectionIndicator {...args} connections={{ default: fixtures[kind] }} />
            <span>{STATUS_LABELS[kind]}</span>
          </span>
        ))}
      </div>
    )
  },
}

/** The tooltip opened from the keyboard. */
export const TooltipOpen: Story = {
  render: function TooltipOpen(args) {
    const [now] = useState(() => Date.now())
    return (
      <div style={{ minHeight: 300 }}>
        <ConnectionIndicator {...args} connections={{ default: stateFixtures(now).live }} />
      </div>
    )
  },
  play: async ({ canvasElement }) => {
    await userEvent.tab()
    await expect(
      within(canvasElement).getByRole('button', { name: 'Connection: Live' }),
    ).toHaveFocus()
  },
}

/** In a header, on the simulated feed: the dot pulses as batches arrive. */
export const InHeader: Story = {
  render: function InHeader(args) {
    const feed = useSimulatedFeed({ symbolCount: 4, rate: 2 })
    return (
      <SimulatedProvider feed={feed}>
        <div className="sb-stack">
          <header className="sb-board__header" style={{ justifyContent: 'flex-start' }}>
            <h2 style={{ margin: 0, fontSize: 16 }}>Markets</h2>
            <ConnectionIndicator {...args} />
            <ConnectionStatus compact />
          </header>
          <div className="sb-row">
            {['BTC-USD', 'ETH-USD', 'SOL-USD', 'AAPL'].map((symbol) => (
              <span key={symbol}>
                {symbol} <PriceFlash symbol={symbol} locale="en-US" maximumFractionDigits={2} />
              </span>
            ))}
          </div>
          <FeedControls feed={feed} symbolSlider={false} />
        </div>
      </SimulatedProvider>
    )
  },
}
