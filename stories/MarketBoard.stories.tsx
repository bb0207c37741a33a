import type { Meta, StoryObj } from '@storybook/react-vite'
import { memo, useSyncExternalStore } from 'react'
import { ConnectionIndicator, ConnectionStatus, PriceFlash } from '../src/components'
import { FeedControls } from './FeedControls'
import type { SimulatedFeed } from './simulatedFeed'
import { SimulatedProvider, useSimulatedFeed } from './useSimulatedFeed'

/** One cell: memoised, so a board re-render touches only the cells whose symbol changed. */
const Cell = memo(function Cell({ symbol }: { symbol: string }) {
  return (
    <div className="sb-board__cell">
      <span className="sb-board__symbol">{symbol}</span>
      <PriceFlash
        symbol={symbol}
        locale="en-US"
        minimumFractionDigits={2}
        maximumFractionDigits={6}
      />
    </div>
  )
})

function Board({ feed }: { feed: SimulatedFeed }) {
  // Re-reads the symbol list when the "Symbols" slider moves.
  const count = useSyncExternalStore(feed.subscribe, () => feed.getSnapshot().settings.symbolCount)
  const symbols = feed.symbols().slice(0, count)
  return (
    <div className="sb-board">
      <header className="sb-board__header">
        <h2>
          Market board <span className="sb-note">({symbols.length} symbols)</span>
        </h2>
        <span className="sb-row">
          <ConnectionIndicator />
          <ConnectionStatus />
        </span>
      </header>
      <FeedControls feed={feed} />
      <div className="sb-board__grid" data-testid="market-board">
        {symbols.map((symbol) => (
          <Cell key={symbol} symbol={symbol} />
        ))}
      </div>
    </div>
  )
}

const meta = {
  title: 'Scenarios/Market board',
  parameters: {
    layout: 'fullscreen',
    docs: {
      description: {
        component:
          'One hundred symbols on the simulated feed, ten market moves a second. Each ' +
          'PriceFlash re-renders only for its own symbol, at most once per animation frame.',
      },
    },
  },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

export const HundredSymbols: Story = {
  render: function HundredSymbols() {
    const feed = useSimulatedFeed({ symbolCount: 100, rate: 10, updateShare: 0.15 })
    return (
      <div style={{ padding: 16 }}>
        <SimulatedProvider feed={feed}>
          <Board feed={feed} />
        </SimulatedProvider>
      </div>
    )
  },
}
