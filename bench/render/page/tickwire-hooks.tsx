/**
 * Diagnostic variant `tickwire (usePrice)`: tickwire's provider and `usePrice` hook feeding the
 * same cell as the other React variants (cells.tsx). Beside the `tickwire` variant it splits
 * what the data path costs from what the PriceFlash component costs.
 */
import { Profiler, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { StreamProvider, usePrice, useStreamManager } from '../../../src/index'
import '../../../src/components/styles.css'
import './board.css'
import { FlashCell } from './cells'
import { commit, config, observeBoard, SYMBOLS } from './harness'

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

const streamConfig = { url: config.wsUrl, throttleMs: config.throttleMs }

function App() {
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

const root = document.getElementById('root') as HTMLElement
observeBoard(root)
createRoot(root).render(<App />)
