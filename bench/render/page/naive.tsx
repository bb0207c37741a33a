/** Variant `naive`: useState plus a WebSocket in useEffect, state set on every message. */
import { useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import '../../../src/components/styles.css'
import './board.css'
import { applyFrame, StateBoard, type Prices, type WireMessage } from './cells'
import { config, observeBoard, subscribeFrames, SYMBOLS } from './harness'

function App() {
  const [prices, setPrices] = useState<Prices>({})
  useEffect(() => {
    const socket = new WebSocket(config.wsUrl)
    let frames = 0
    window.__bench.framesIn = () => frames
    socket.onopen = () => {
      for (const frame of subscribeFrames(SYMBOLS)) socket.send(frame)
    }
    socket.onmessage = (event: MessageEvent<string>) => {
      frames += 1
      const message = JSON.parse(event.data) as WireMessage
      window.__bench.appliedFrames += 1
      setPrices((previous) => applyFrame(previous, message))
    }
    return () => socket.close()
  }, [])
  return <StateBoard prices={prices} />
}

const root = document.getElementById('root') as HTMLElement
observeBoard(root)
createRoot(root).render(<App />)
