import type { Meta, StoryObj } from '@storybook/react-vite'
import { ConnectionIndicator, ConnectionStatus, PriceFlash } from '../src/components'
import { StreamProvider } from '../src/react'
import { FeedServerDown, httpOrigin, liveFeedUrl, useServerProbe } from './liveFeed'

const FEED_URL = liveFeedUrl()

const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'XRP-USD', 'AAPL', 'MSFT', 'NVDA', 'TSLA']

function LiveServerBoard() {
  const origin = httpOrigin(FEED_URL)
  const [probe, retry] = useServerProbe(origin)
  if (probe === 'checking')
    return <p className="sb-note">Looking for the feed server at {FEED_URL}…</p>
  if (probe === 'down') return <FeedServerDown url={FEED_URL} onRetry={retry} />
  return (
    <StreamProvider config={{ url: FEED_URL, restUrl: origin, heartbeatIntervalMs: 5_000 }}>
      <div className="sb-stack">
        <div className="sb-row">
          <strong>{FEED_URL}</strong>
          <ConnectionIndicator />
          <ConnectionStatus />
        </div>
        <table className="sb-table">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Price</th>
              <th scope="col">Bid</th>
              <th scope="col">Ask</th>
            </tr>
          </thead>
          <tbody>
            {SYMBOLS.map((symbol) => (
              <tr key={symbol}>
                <td>{symbol}</td>
                <td>
                  <PriceFlash symbol={symbol} locale="en-US" maximumFractionDigits={6} />
                </td>
                <td>
                  <PriceFlash
                    symbol={symbol}
                    field="bid"
                    locale="en-US"
                    maximumFractionDigits={6}
                  />
                </td>
                <td>
                  <PriceFlash
                    symbol={symbol}
                    field="ask"
                    locale="en-US"
                    maximumFractionDigits={6}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </StreamProvider>
  )
}

const meta = {
  title: 'Scenarios/Live server',
  parameters: {
    docs: {
      description: {
        component:
          'Connects to the reference feed server (`npm start`) at `STORYBOOK_FEED_URL`, by ' +
          'default `ws://127.0.0.1:8080/ws`. When it is not running, the story says how to ' +
          'start it instead of retrying in a loop.',
      },
    },
  },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

export const LocalFeedServer: Story = { render: () => <LiveServerBoard /> }
