import type { Meta, StoryObj } from '@storybook/react-vite'
import { useMemo, useState } from 'react'
import { ConnectionStatus, PriceFlash } from '../src/components'
import { StreamProvider } from '../src/react'
import { createFrameRecorder, StreamDevtools } from '../src/devtools'
import { FeedControls } from './FeedControls'
import { simulatedConfig, useSimulatedFeed } from './useSimulatedFeed'

/**
 * The devtools panel on the simulated feed. The feed's socket is wrapped by a frame recorder,
 * and the connection has a token, so the Frames tab shows the `auth` frame with its token
 * masked. Use the feed controls to drop the connection or stall it and watch the history.
 */
function DevtoolsDemo({ initialOpen }: { initialOpen: boolean }) {
  const feed = useSimulatedFeed({ rate: 4, symbolCount: 6 })
  const [frames] = useState(() => createFrameRecorder({ capacity: 300 }))
  const config = useMemo(
    () => ({
      ...simulatedConfig(feed),
      WebSocket: frames.tap(feed.WebSocket),
      getToken: () => 'demo-secret-token',
    }),
    [feed, frames],
  )
  const symbols = feed.symbols().slice(0, 6)
  return (
    <StreamProvider config={config}>
      <div className="sb-stack">
        <div className="sb-row">
          <ConnectionStatus />
          {symbols.map((symbol) => (
            <span key={symbol} className="sb-row">
              <span className="sb-note">{symbol}</span>
              <PriceFlash symbol={symbol} locale="en-US" maximumFractionDigits={4} />
            </span>
          ))}
        </div>
        <FeedControls feed={feed} symbolSlider={false} />
        <StreamDevtools frames={frames} initialOpen={initialOpen} position="inline" />
      </div>
    </StreamProvider>
  )
}

const meta = {
  title: 'Devtools/StreamDevtools',
  component: DevtoolsDemo,
  parameters: {
    docs: {
      description: {
        component:
          '`<StreamDevtools />` from `tickwire/devtools`: connections with their status history and ' +
          'statistics, symbols with their last update and staleness, and the last frames in and out ' +
          "(tokens masked) with pause and clear. Pass `frames.tap()` as the connection's `WebSocket` " +
          'to record frames.',
      },
    },
  },
  args: { initialOpen: true },
} satisfies Meta<typeof DevtoolsDemo>

export default meta
type Story = StoryObj<typeof meta>

/** The panel open in the page flow, on a live simulated feed. */
export const Open: Story = {}

/** Closed: only the toggle button until clicked. */
export const Closed: Story = { args: { initialOpen: false } }
