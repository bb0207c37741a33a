/**
 * Variant `tickwire-shared`: the `tickwire` variant (StreamProvider plus a connected PriceFlash per
 * cell) with the stream engine in the SharedWorker (src/core/engine): the page's
 * main thread only applies one diff per frame.
 */
import { Profiler, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { PriceFlash, StreamProvider, useStreamManager } from '../../../src/index'
import { createEngineManager } from '../../../src/core/engine/index'
import '../../../src/components/styles.css'
import './board.css'
import { commit, config, LOCALE, observeBoard, SYMBOLS } from './harness'

/** Reports the manager's inbound frame count to the harness (the worker's, as of the last frame). */
function FrameCount() {
  const manager = useStreamManager()
  useEffect(() => {
    window.__bench.framesIn = () => manager.getStats().messagesIn
  }, [manager])
  return null
}

// Module scope, as an app would write it; the provider starts it after mount.
const manager = createEngineManager({
  url: config.wsUrl,
  throttleMs: config.throttleMs,
  engine: 'shared',
  sharedName: `bench-${config.wsUrl}`,
  autoStart: false,
})

function App() {
  return (
    <StreamProvider manager={manager}>
      <FrameCount />
      <Profiler id="board" onRender={commit}>
        <div className="board">
          {SYMBOLS.map((s) => (
            <div className="cell" key={s}>
              <span className="sym">{s}</span>
              <PriceFlash symbol={s} locale={LOCALE} />
            </div>
          ))}
        </div>
      </Profiler>
    </StreamProvider>
  )
}

const root = document.getElementById('root') as HTMLElement
observeBoard(root)
createRoot(root).render(<App />)
