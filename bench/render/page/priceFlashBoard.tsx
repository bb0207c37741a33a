/**
 * The `tickwire` variants: the documented API, StreamProvider plus a connected PriceFlash per
 * cell, with the default flash or with `flashStyle="fade"`, on the main-thread engine or with
 * `engine: 'worker' | 'shared'` in the provider's config.
 */
import { Profiler, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import {
  PriceFlash,
  StreamProvider,
  useStreamManager,
  type EngineKind,
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

/** What a variant chooses; left out, the board uses the defaults, as an app that does not choose. */
export interface BoardOptions {
  flashStyle?: PriceFlashStyle
  engine?: EngineKind
}

function App({ flashStyle, engine }: BoardOptions) {
  // One config object for the app's life, as an app would write it.
  const [streamConfig] = useState(() => ({
    url: config.wsUrl,
    throttleMs: config.throttleMs,
    ...(engine === undefined ? {} : { engine, sharedName: `bench-${config.wsUrl}` }),
  }))
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

/** Renders the board with PriceFlash's default (step) flash and engine unless told otherwise. */
export function startPriceFlashBoard(options: BoardOptions = {}): void {
  const root = document.getElementById('root') as HTMLElement
  observeBoard(root)
  createRoot(root).render(<App {...options} />)
}
