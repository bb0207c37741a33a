/**
 * The React layer, unchanged, on a worker engine: StrictMode, `StreamProvider` given the
 * engine's manager, and cells reading `usePrice`. `?feed=` is the feed URL, `?engine=` the
 * engine (`worker` or `shared`).
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { StreamProvider, usePrice } from '../../../src/index'
import { createEngineManager, type EngineKind } from '../../../src/core/engine/index'

const params = new URLSearchParams(location.search)
const manager = createEngineManager({
  url: params.get('feed') ?? '',
  engine: (params.get('engine') ?? 'worker') as EngineKind,
  autoStart: false,
})

function Cell({ symbol }: { symbol: string }) {
  const tick = usePrice(symbol)
  return (
    <span className="cell" data-symbol={symbol} data-seq={tick?.seq ?? -1}>
      {tick ? tick.price : '…'}
    </span>
  )
}

const root = document.getElementById('root') as HTMLElement
createRoot(root).render(
  <StrictMode>
    <StreamProvider manager={manager}>
      <Cell symbol="BTC-USD" />
      <Cell symbol="ETH-USD" />
      <Cell symbol="SOL-USD" />
    </StreamProvider>
  </StrictMode>,
)
;(window as unknown as { engineManager: typeof manager }).engineManager = manager
