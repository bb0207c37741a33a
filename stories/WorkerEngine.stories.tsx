import type { Meta, StoryObj } from '@storybook/react-vite'
import { memo } from 'react'
import { ConnectionIndicator, ConnectionStatus, PriceFlash } from '../src/components'
import type { EngineKind } from '../src/core'
import { StreamDevtools } from '../src/devtools'
import { StreamProvider } from '../src/react'
import { FeedServerDown, httpOrigin, liveFeedUrl, useServerProbe } from './liveFeed'

/** Symbols of the reference server's catalogue (src/server/catalogue.ts): coins and stocks. */
const SYMBOLS = [
  'BTC-USD',
  'ETH-USD',
  'SOL-USD',
  'BNB-USD',
  'XRP-USD',
  'ADA-USD',
  'DOGE-USD',
  'AVAX-USD',
  'DOT-USD',
  'LINK-USD',
  'LTC-USD',
  'BCH-USD',
  'AAPL',
  'MSFT',
  'NVDA',
  'TSLA',
]

/** One cell: memoised, so a board re-render touches only the cells whose symbol changed. */
const Cell = memo(function Cell({ symbol }: { symbol: string }) {
  return (
    <div className="sb-board__cell">
      <span className="sb-board__symbol">{symbol}</span>
      <PriceFlash symbol={symbol} locale="en-US" maximumFractionDigits={6} />
    </div>
  )
})

const TITLES: Record<Exclude<EngineKind, 'main'>, string> = {
  worker: 'Market board on the worker engine',
  shared: 'Market board on the shared engine',
}

/**
 * The market board on a real feed with the pipeline off the main thread: the socket, decode,
 * merge and throttle run in a Worker (or one SharedWorker for every tab of Storybook), and
 * this page applies one diff per frame. The open devtools panel names the engine.
 */
function EngineBoard({ engine }: { engine: Exclude<EngineKind, 'main'> }) {
  const url = liveFeedUrl()
  const origin = httpOrigin(url)
  const [probe, retry] = useServerProbe(origin)
  if (probe === 'checking') return <p className="sb-note">Looking for the feed server at {url}…</p>
  if (probe === 'down') return <FeedServerDown url={url} onRetry={retry} />
  return (
    <StreamProvider config={{ url, restUrl: origin, engine, heartbeatIntervalMs: 5_000 }}>
      <div className="sb-board">
        <header className="sb-board__header">
          <h2>
            {TITLES[engine]} <span className="sb-note">({url})</span>
          </h2>
          <span className="sb-row">
            <ConnectionIndicator />
            <ConnectionStatus />
          </span>
        </header>
        <div className="sb-board__grid" data-testid="market-board">
          {SYMBOLS.map((symbol) => (
            <Cell key={symbol} symbol={symbol} />
          ))}
        </div>
        <StreamDevtools initialOpen position="inline" />
      </div>
    </StreamProvider>
  )
}

const meta = {
  title: 'Scenarios/Worker engine',
  component: EngineBoard,
  parameters: {
    docs: {
      description: {
        component:
          'The market board against the reference feed server (`npm start`) with ' +
          "`engine: 'worker'` (a dedicated Worker) or `engine: 'shared'` (one SharedWorker for " +
          'every tab: open the story in two tabs and the panel counts them). The feed comes from ' +
          'the `feed` query parameter, `STORYBOOK_FEED_URL`, or `ws://127.0.0.1:8080/ws`.',
      },
    },
  },
} satisfies Meta<typeof EngineBoard>

export default meta
type Story = StoryObj<typeof meta>

/** The pipeline in a dedicated Worker of this page. */
export const WorkerEngine: Story = { args: { engine: 'worker' } }

/** The pipeline in one SharedWorker that every tab of this Storybook shares. */
export const SharedEngine: Story = { args: { engine: 'shared' } }
