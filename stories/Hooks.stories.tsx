import type { Meta, StoryObj } from '@storybook/react-vite'
import { useRef, useState, type ReactNode } from 'react'
import { PriceFlash } from '../src/components'
import {
  useConnectionStatus,
  usePrice,
  usePriceFlash,
  usePriceListener,
  usePriceStream,
  useStream,
  useStreamEvent,
} from '../src/react'
import { FeedControls } from './FeedControls'
import type { SimulatedFeed } from './simulatedFeed'
import { SimulatedProvider, useSimulatedFeed } from './useSimulatedFeed'

/** Each hook demo runs inside its own provider on a simulated feed, with its controls. */
function OnSimulatedFeed({
  children,
  controls = false,
}: {
  children: ReactNode
  controls?: boolean
}) {
  const feed = useSimulatedFeed({ symbolCount: 4, rate: 2 })
  return (
    <SimulatedProvider feed={feed}>
      <div className="sb-stack">
        {children}
        {controls && <FeedControls feed={feed} symbolSlider={false} />}
      </div>
    </SimulatedProvider>
  )
}

const usd = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })

function UsePriceDemo() {
  const tick = usePrice('BTC-USD')
  if (!tick) return <p>BTC-USD: waiting for the first tick…</p>
  return (
    <dl
      className="sb-matrix"
      style={{
        display: 'inline-grid',
        gridTemplateColumns: 'auto auto',
        gap: '2px 16px',
        margin: 0,
      }}
    >
      <dt>price</dt>
      <dd style={{ margin: 0 }}>{usd.format(tick.price)}</dd>
      <dt>bid / ask</dt>
      <dd style={{ margin: 0 }}>
        {usd.format(tick.bid ?? NaN)} / {usd.format(tick.ask ?? NaN)}
      </dd>
      <dt>seq</dt>
      <dd style={{ margin: 0 }}>{tick.seq}</dd>
      <dt>source</dt>
      <dd style={{ margin: 0 }}>{tick.source}</dd>
      <dt>direction</dt>
      <dd style={{ margin: 0 }}>{tick.direction ?? 'none'}</dd>
    </dl>
  )
}

/** Writes each BTC-USD tick into its own spans; the component does not re-render per tick. */
function UsePriceListenerDemo() {
  const price = useRef<HTMLSpanElement>(null)
  const ticks = useRef<HTMLSpanElement>(null)
  const count = useRef(0)
  usePriceListener('BTC-USD', (tick) => {
    count.current += 1
    if (price.current) price.current.textContent = tick ? usd.format(tick.price) : '…'
    if (ticks.current) ticks.current.textContent = String(count.current)
  })
  return (
    <p>
      BTC-USD <span ref={price}>…</span>: <span ref={ticks}>0</span> ticks written to the DOM
    </p>
  )
}

const WATCH = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'NOPE-USD']

function UsePriceStreamDemo() {
  // A new array literal every render is fine: the hook keys the wanted set by content.
  const { prices, status, stale, errors } = usePriceStream(WATCH)
  return (
    <div className="sb-stack" style={{ gap: 6 }}>
      <p style={{ margin: 0 }}>
        status <code>{status}</code>, stale <code>{String(stale)}</code>
      </p>
      <ul style={{ margin: 0 }}>
        {WATCH.map((symbol) => (
          <li key={symbol}>
            {symbol}:{' '}
            {errors[symbol]
              ? `error ${errors[symbol].code}`
              : prices[symbol]
                ? usd.format(prices[symbol].price)
                : '…'}
          </li>
        ))}
      </ul>
    </div>
  )
}

function UseStreamDemo() {
  const { status, connections, reconnect, subscribePrices, unsubscribePrices } = useStream()
  const [watching, setWatching] = useState(false)
  return (
    <div className="sb-stack" style={{ gap: 6 }}>
      <p style={{ margin: 0 }}>
        worst status <code>{status}</code>; connections:{' '}
        {Object.keys(connections).join(', ') || 'none'}
      </p>
      <div className="sb-row">
        <button type="button" onClick={() => reconnect()}>
          reconnect()
        </button>
        <button
          type="button"
          aria-pressed={watching}
          onClick={() => {
            void (watching ? unsubscribePrices(['ETH-USD']) : subscribePrices(['ETH-USD']))
            setWatching(!watching)
          }}
        >
          {watching ? 'unsubscribePrices(["ETH-USD"])' : 'subscribePrices(["ETH-USD"])'}
        </button>
      </div>
    </div>
  )
}

function UseConnectionStatusDemo() {
  const info = useConnectionStatus()
  return (
    <p style={{ margin: 0 }}>
      status <code>{info.status}</code>
      {info.reason ? (
        <>
          , reason <code>{info.reason}</code>
        </>
      ) : null}
      , latency {info.latencyMs === undefined ? '–' : `${Math.round(info.latencyMs)} ms`}, messages
      in {info.stats.messagesIn}
    </p>
  )
}

function UsePriceFlashDemo() {
  const [value, setValue] = useState(100)
  const direction = usePriceFlash(value, { flashMs: 700 })
  return (
    <div className="sb-row">
      <button type="button" onClick={() => setValue((v) => v + 1)}>
        +1
      </button>
      <button type="button" onClick={() => setValue((v) => v - 1)}>
        −1
      </button>
      <span>
        value {value}, direction <code>{direction ?? 'null'}</code>
      </span>
    </div>
  )
}

interface Order {
  id: number
  symbol: string
  side: 'buy' | 'sell'
  qty: number
}

function UseStreamEventDemo({ feed }: { feed: SimulatedFeed }) {
  const [orders, setOrders] = useState<Order[]>([])
  // The handler may be a new function every render: the hook keeps the latest in a ref.
  useStreamEvent<Order>('order', (order) => setOrders((list) => [order, ...list].slice(0, 5)))
  const send = () =>
    feed.sendMessage({
      type: 'order',
      id: Date.now() % 100_000,
      symbol: 'BTC-USD',
      side: 'buy',
      qty: 0.25,
    })
  return (
    <div className="sb-stack" style={{ gap: 6 }}>
      <div className="sb-row">
        <button type="button" onClick={send}>
          Send an order message from the feed
        </button>
        <span>{orders.length === 0 ? 'No order messages yet.' : `Last ${orders.length}:`}</span>
      </div>
      <ul style={{ margin: 0 }}>
        {orders.map((order) => (
          <li key={order.id}>
            #{order.id} {order.side} {order.qty} {order.symbol}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The stream-event demo needs the feed itself, to make it send an application message. */
function StreamEventStory() {
  const feed = useSimulatedFeed({ symbolCount: 1, rate: 1 })
  return (
    <SimulatedProvider feed={feed}>
      <UseStreamEventDemo feed={feed} />
    </SimulatedProvider>
  )
}

const meta = {
  title: 'Hooks/Overview',
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          'The React layer (`tickwire`): wrap the app in `<StreamProvider url=…>` (or `config` ' +
          'or `manager`), then read with these hooks. Each hook re-renders only for what it ' +
          'reads, and store changes reach React at most once per animation frame. Every demo ' +
          'below runs on the in-browser simulated feed.',
      },
    },
  },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** `usePrice(symbol)`: one symbol's latest tick, re-rendering only for that symbol. */
export const UsePrice: Story = {
  render: () => (
    <OnSimulatedFeed>
      <UsePriceDemo />
    </OnSimulatedFeed>
  ),
}

/** `usePriceStream(symbols)`: several symbols with their status, staleness and errors. */
export const UsePriceStream: Story = {
  render: () => (
    <OnSimulatedFeed>
      <UsePriceStreamDemo />
    </OnSimulatedFeed>
  ),
}

/** `useStream()`: the worst status, every connection, and the imperative actions. */
export const UseStream: Story = {
  render: () => (
    <OnSimulatedFeed controls>
      <UseStreamDemo />
      <span>
        ETH-USD <PriceFlash symbol="ETH-USD" locale="en-US" maximumFractionDigits={2} />
      </span>
    </OnSimulatedFeed>
  ),
}

/** `useConnectionStatus(connection?)`: one connection's info, or the worst one's. */
export const UseConnectionStatus: Story = {
  render: () => (
    <OnSimulatedFeed controls>
      <UseConnectionStatusDemo />
    </OnSimulatedFeed>
  ),
}

/**
 * `usePriceListener(symbol, listener)`: a callback per change of one symbol's tick, outside
 * render; for DOM writes that should cost no React render (`PriceFlash` is built on it).
 */
export const UsePriceListener: Story = {
  render: () => (
    <OnSimulatedFeed>
      <UsePriceListenerDemo />
    </OnSimulatedFeed>
  ),
}

/** `usePriceFlash(value, { flashMs })`: `'up' | 'down'` for `flashMs` after a change. */
export const UsePriceFlash: Story = { render: () => <UsePriceFlashDemo /> }

/** `useStreamEvent(type, handler)`: application messages the protocol does not handle. */
export const UseStreamEvent: Story = { render: () => <StreamEventStory /> }
