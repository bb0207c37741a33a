/**
 * The `tickwire` variants: the documented API, StreamProvider plus a connected PriceFlash per
 * cell, with the default flash or with `flashStyle="fade"`.
 */
import { Profiler, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import {
  PriceFlash,
  StreamProvider,
  useStreamManager,
  type PriceFlashStyle,
} from '../../../src/index'
import '../../../src/components/styles.css'
import './board.css'
import { commit, config, LOCALE, observeBoard, SYMBOLS } from './harness'

/** Reports the manager's inbound frame count to the harness (frames map to deltas on the server). */
function FrameCount() {
  const manager = useStreamManager()
  useEffect(() => {
    window.__bench.framesIn = () => manager.getStats().messagesIn
  }, [manager])
  return null
}

// Module scope: one config object for the app's life, as an app would write it.
const streamConfig = { url: config.wsUrl, throttleMs: config.throttleMs }

function App({ flashStyle }: { flashStyle: PriceFlashStyle | undefined }) {
  // The prop is left out for the default, as an app that does not choose would.
  const style = flashStyle === undefined ? {} : { flashStyle }
  return (
    <StreamProvider config={streamConfig}>
      <FrameCount />
      <Profiler id="board" onRender={commit}>
        <div className="board">
          {SYMBOLS.map((s) => (
            <div className="cell" key={s}>
              <span className="sym">{s}</span>
              <PriceFlash symbol={s} locale={LOCALE} {...style} />
            </div>
          ))}
        </div>
      </Profiler>
    </StreamProvider>
  )
}

/** Renders the board; `flashStyle` undefined means PriceFlash's default (the step). */
export function startPriceFlashBoard(flashStyle: PriceFlashStyle | undefined): void {
  const root = document.getElementById('root') as HTMLElement
  observeBoard(root)
  createRoot(root).render(<App flashStyle={flashStyle} />)
}
