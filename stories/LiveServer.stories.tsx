import type { Meta, StoryObj } from '@storybook/react-vite'
import { useCallback, useEffect, useState } from 'react'
import { ConnectionIndicator, ConnectionStatus, PriceFlash } from '../src/components'
import { StreamProvider } from '../src/react'

/**
 * The feed URL: `STORYBOOK_FEED_URL` when Storybook was started with it, else the reference
 * server's default. The cast stands in for Vite's client types, which this project does not
 * load globally; Vite still replaces the expression at build time.
 */
const FEED_URL: string =
  (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env?.[
    'STORYBOOK_FEED_URL'
  ] ?? 'ws://127.0.0.1:8080/ws'

/** The server's HTTP origin (REST base and `/health`), from its WebSocket URL. */
function httpOrigin(wsUrl: string): string {
  const url = new URL(wsUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  return url.origin
}

type Probe = 'checking' | 'up' | 'down'

/**
 * Asks `/health` before any socket is made. Without this, a stopped server would mean a
 * reconnect loop, each attempt printing the browser's own "WebSocket connection failed"
 * line; a refused probe prints one network line (two under StrictMode's double effect), and
 * the story explains what to do.
 */
function useServerProbe(origin: string): [Probe, () => void] {
  const [probe, setProbe] = useState<Probe>('checking')
  const [round, setRound] = useState(0)
  useEffect(() => {
    // `round` is read so that "Try again" runs the probe anew.
    void round
    const controller = new AbortController()
    let cancelled = false
    // A server that accepts but never answers counts as down after 2 s.
    const timeout = setTimeout(() => controller.abort(), 2_000)
    fetch(`${origin}/health`, { signal: controller.signal, cache: 'no-store' })
      .then((res) => !cancelled && setProbe(res.ok ? 'up' : 'down'))
      .catch(() => !cancelled && setProbe('down'))
      .finally(() => clearTimeout(timeout))
    return () => {
      cancelled = true
      clearTimeout(timeout)
      controller.abort()
    }
  }, [origin, round])
  const retry = useCallback(() => {
    setProbe('checking')
    setRound((r) => r + 1)
  }, [])
  return [probe, retry]
}

const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'XRP-USD', 'AAPL', 'MSFT', 'NVDA', 'TSLA']

function LiveServerBoard() {
  const origin = httpOrigin(FEED_URL)
  const [probe, retry] = useServerProbe(origin)
  if (probe === 'checking')
    return <p className="sb-note">Looking for the feed server at {FEED_URL}…</p>
  if (probe === 'down') {
    return (
      <div className="sb-callout" role="note">
        <p style={{ marginTop: 0 }}>
          <strong>The local feed server is not running</strong> at <code>{FEED_URL}</code>.
        </p>
        <p>
          Start it with <code>npm start</code> in the project folder, then try again. To use another
          server, start Storybook with <code>STORYBOOK_FEED_URL=ws://host:port/ws</code>.
        </p>
        <button type="button" onClick={retry}>
          Try again
        </button>
      </div>
    )
  }
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
