/**
 * The `usePrice` boards: tickwire's provider and `usePrice` hook feeding the same cell as the
 * other React variants (cells.tsx), on the main-thread engine (variant `tickwire-hooks`) or with
 * `engine: 'worker' | 'shared'` in the provider's config. Beside the PriceFlash boards they split
 * what the data path costs from what the PriceFlash component costs.
 */
import { Profiler, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { StreamProvider, usePrice, useStreamManager, type EngineKind } from '../../../src/index'
import '../../../src/components/styles.css'
import './board.css'
import { FlashCell } from './cells'
import { commit, config, observeBoard, SYMBOLS } from './harness'

/** Reports the manager's inbound frame count to the harness (frames map to deltas on the server). */
function FrameCount() {
  const manager = useStreamManager()
  useEffect(() => {
    window.__bench.framesIn = () => manager.getStats().messagesIn
  }, [manager])
  return null
}

function Cell({ symbol }: { symbol: string }) {
  const price = usePrice(symbol)?.price
  return <FlashCell symbol={symbol} price={price} />
}

function App({ engine }: { engine: EngineKind | undefined }) {
  // One config object for the app's life, as an app would write it.
  const [streamConfig] = useState(() => ({
    url: config.wsUrl,
    throttleMs: config.throttleMs,
    ...(engine === undefined ? {} : { engine, sharedName: `bench-${config.wsUrl}` }),
  }))
  return (
    <StreamProvider config={streamConfig}>
      <FrameCount />
      <Profiler id="board" onRender={commit}>
        <div className="board">
          {SYMBOLS.map((s) => (
            <Cell key={s} symbol={s} />
          ))}
        </div>
      </Profiler>
    </StreamProvider>
  )
}

/** Renders the `usePrice` board on the default (main-thread) engine unless told otherwise. */
export function startHooksBoard(engine?: EngineKind): void {
  const root = document.getElementById('root') as HTMLElement
  observeBoard(root)
  createRoot(root).render(<App engine={engine} />)
}
