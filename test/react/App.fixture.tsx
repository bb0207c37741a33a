/**
 * A small app that uses every hook, for the server-rendering and hydration tests: what it
 * renders before any data arrives must be the same on the server and on the client.
 */
import type { ReactNode } from 'react'
import {
  useConnectionStatus,
  usePrice,
  usePriceFlash,
  usePriceStream,
  useStream,
  useStreamEvent,
} from '../../src/react'

function Ticker({ symbol }: { symbol: string }): ReactNode {
  const tick = usePrice(symbol)
  const flash = usePriceFlash(tick?.price)
  return (
    <li data-flash={flash ?? 'none'}>
      {symbol} {tick === undefined ? 'loading' : tick.price}
    </li>
  )
}

export function App({ onOrder }: { onOrder?: (message: unknown) => void }): ReactNode {
  const { prices, status, stale, errors } = usePriceStream(['BTC-USD', 'ETH-USD'])
  const stream = useStream()
  const info = useConnectionStatus()
  useStreamEvent('order', (message) => onOrder?.(message))
  return (
    <main data-status={status} data-stale={String(stale)}>
      <p>
        stream {stream.status}, pill {info.status}, {Object.keys(errors).length} errors
      </p>
      <ul>
        <Ticker symbol="BTC-USD" />
      </ul>
      <p data-testid="eth">{prices['ETH-USD']?.price ?? 'no ETH yet'}</p>
    </main>
  )
}
