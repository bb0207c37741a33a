import type { Meta, StoryObj } from '@storybook/react-vite'
import { useMemo, useState, type ReactNode } from 'react'
import type { ConnectionConfig, StreamManagerConfig } from '../src/core/config'
import { ConnectionStatus } from '../src/components'
import {
  createStreamSettingsStore,
  StreamProvider,
  usePrice,
  useStreamSettings,
  type StreamSettingsStore,
} from '../src/react'
import { SIMULATED_URL } from './simulatedFeed'
import { useSimulatedFeed } from './useSimulatedFeed'

/** Update rates offered to the user; `''` stands for the app's own `throttleMs`. */
const RATES: readonly { label: string; value: string }[] = [
  { label: 'App default (100 ms)', value: '' },
  { label: 'Every frame', value: '0' },
  { label: '4 per second', value: '250' },
  { label: 'Once a second', value: '1000' },
  { label: 'Every 5 seconds', value: '5000' },
]

/** The settings panel: one switch per connection and the update rate. */
function SettingsPanel({ store }: { store: StreamSettingsStore }): ReactNode {
  const { connections, throttleMs, setEnabled, setThrottle, reset } = useStreamSettings({ store })
  return (
    <fieldset className="sb-controls" style={{ margin: 0 }}>
      <legend>Stream settings</legend>
      {connections.map(({ name, enabled }) => (
        <div className="sb-controls__row" key={name}>
          <label>
            <input
              type="checkbox"
              checked={enabled}
              onChange={(event) => setEnabled(name, event.currentTarget.checked)}
            />{' '}
            {name}
          </label>
          <ConnectionStatus connection={name} />
        </div>
      ))}
      <div className="sb-controls__row">
        <label>
          Update rate{' '}
          <select
            value={throttleMs === null ? '' : String(throttleMs)}
            onChange={(event) => {
              const value = event.currentTarget.value
              setThrottle(value === '' ? null : Number(value))
            }}
          >
            {RATES.map((rate) => (
              <option key={rate.value} value={rate.value}>
                {rate.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={reset}>
          Reset
        </button>
      </div>
    </fieldset>
  )
}

function Price({ symbol, connection }: { symbol: string; connection: string }): ReactNode {
  const tick = usePrice(symbol, { connection })
  return (
    <li>
      {symbol} via {connection}: {tick ? tick.price.toFixed(2) : '…'}{' '}
      <small>(seq {tick?.seq ?? '–'})</small>
    </li>
  )
}

/**
 * Two connections on one simulated feed, so one can be turned off while the other streams.
 * The settings persist under the story's own key: reload the page and they are still there;
 * open the story in a second tab and both follow each other.
 */
function Demo(): ReactNode {
  const feed = useSimulatedFeed({ symbolCount: 4, rate: 8 })
  const [store] = useState(() => createStreamSettingsStore({ name: 'tickwire:settings:storybook' }))
  const config = useMemo<StreamManagerConfig>(() => {
    const connection: ConnectionConfig = {
      url: SIMULATED_URL,
      WebSocket: feed.WebSocket,
      fetchSnapshot: feed.fetchSnapshot,
    }
    return { throttleMs: 100, connections: { prices: connection, orders: { ...connection } } }
  }, [feed])
  return (
    <StreamProvider config={config}>
      <div className="sb-stack">
        <SettingsPanel store={store} />
        <ul style={{ margin: 0 }}>
          <Price symbol="BTC-USD" connection="prices" />
          <Price symbol="ETH-USD" connection="prices" />
          <Price symbol="SOL-USD" connection="orders" />
        </ul>
      </div>
    </StreamProvider>
  )
}

const meta = {
  title: 'Hooks/StreamSettings',
  tags: ['autodocs'],
  parameters: {
    docs: {
      description: {
        component:
          '`useStreamSettings()`: the user turns connections on and off and picks the update ' +
          'rate. The choice applies to the running manager at once (no remount), is stored in ' +
          '`localStorage` (zustand `persist`, versioned) and follows other tabs of the app.',
      },
    },
  },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** A settings panel over two connections of a simulated feed. */
export const SettingsPanelStory: Story = {
  name: 'Settings panel',
  render: () => <Demo />,
}
