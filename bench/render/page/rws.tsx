/**
 * Variant `react-use-websocket` (4.13): its README's usage with `share: true`, reading
 * `lastJsonMessage` and folding each one into state in an effect. Frames that arrive between
 * two renders are never seen by the effect (only the last survives); `appliedFrames` counts
 * the ones that were, so the runner can say how many were lost.
 */
import { useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
// The same function the package's default export re-exports (through a getter that Vite's
// bundler does not see through, so `import useWebSocket from 'react-use-websocket'` is undefined).
import { useWebSocket } from 'react-use-websocket/dist/lib/use-websocket'
import '../../../src/components/styles.css'
import './board.css'
import { applyFrame, StateBoard, type Prices, type WireMessage } from './cells'
import { config, observeBoard, subscribeFrames, SYMBOLS } from './harness'

let frames = 0

function App() {
  const [prices, setPrices] = useState<Prices>({})
  const { lastJsonMessage, sendMessage } = useWebSocket<WireMessage | null>(config.wsUrl, {
    share: true,
    onOpen: () => {
      for (const frame of subscribeFrames(SYMBOLS)) sendMessage(frame)
    },
    // Counting only: the data goes through lastJsonMessage as the README shows.
    onMessage: () => {
      frames += 1
    },
  })
  useEffect(() => {
    window.__bench.framesIn = () => frames
  }, [])
  useEffect(() => {
    if (lastJsonMessage === null) return
    window.__bench.appliedFrames += 1
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the library's documented pattern, measured as is
    setPrices((previous) => applyFrame(previous, lastJsonMessage))
  }, [lastJsonMessage])
  return <StateBoard prices={prices} />
}

const root = document.getElementById('root') as HTMLElement
observeBoard(root)
createRoot(root).render(<App />)
