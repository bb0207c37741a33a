import { afterEach, describe, expect, it } from 'vitest'
import type { Frame } from '../../src/core/codecs/types'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import type {
  TransportCapabilities,
  TransportDefinition,
  TransportHandlers,
  TransportOpenOptions,
} from '../../src/core/transports/types'

/**
 * A transport of the user's own, given in the config: an in-memory feed that answers every
 * `subscribe` frame with a snapshot per symbol, or (symbols in the URL) streams the symbols it
 * was opened with. Nothing in the connection knows about it.
 */
function loopback(capabilities: TransportCapabilities) {
  const opened: TransportOpenOptions[] = []
  const received: unknown[] = []
  let handlers: TransportHandlers | undefined
  const snapshot = (symbol: string, price: number): string =>
    JSON.stringify({ type: 'snapshot', symbol, seq: 1, data: { price } })
  const definition: TransportDefinition = {
    name: 'loopback',
    capabilities,
    open(options, h) {
      opened.push(options)
      handlers = h
      queueMicrotask(() => {
        h.onOpen('')
        if (capabilities.symbols === 'url')
          for (const symbol of options.symbols) h.onFrame(snapshot(symbol, 7))
      })
      return {
        send(frame: Frame) {
          const message = JSON.parse(String(frame)) as { type: string; symbols?: string[] }
          received.push(message)
          if (message.type === 'subscribe')
            for (const symbol of message.symbols ?? []) h.onFrame(snapshot(symbol, 42))
        },
        close() {
          handlers = undefined
        },
      }
    },
  }
  return {
    definition,
    opened,
    received,
    push: (frame: Frame) => handlers?.onFrame(frame),
  }
}

let manager: StreamManager | undefined
afterEach(() => {
  manager?.destroy()
  manager = undefined
})

const until = async (predicate: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(predicate()).toBe(true)
}

describe('a transport given in the config', () => {
  it('a two-way loopback with symbols in frames: subscribe frames go out, prices come in', async () => {
    const loop = loopback({ twoWay: true, symbols: 'frames' })
    manager = createStreamManager({ url: 'loop://feed', transport: loop.definition })
    manager.subscribe(['A', 'B'])
    await until(() => manager?.store.getState().prices.B?.price === 42)
    expect(manager.store.getState().connections.default?.status).toBe('open')
    expect(loop.received).toContainEqual({ type: 'subscribe', id: 1, symbols: ['A', 'B'] })
    // The tickwire subprotocols were offered, as to any two-way transport.
    expect(loop.opened[0]?.protocols).toContain('tickwire.v1.json')
    loop.push(JSON.stringify({ type: 'delta', symbol: 'A', seq: 2, data: { price: 43 } }))
    await until(() => manager?.store.getState().prices.A?.price === 43)
  })

  it('a one-way loopback with symbols in the URL: opened with the held symbols, nothing sent', async () => {
    const loop = loopback({ twoWay: false, symbols: 'url' })
    manager = createStreamManager({ url: 'loop://feed', transport: loop.definition })
    // Nothing to put in the URL yet: no socket, status idle with reason no_symbols.
    await until(() => manager?.store.getState().connections.default?.reason === 'no_symbols')
    expect(loop.opened).toEqual([])
    manager.subscribe(['C'])
    await until(() => manager?.store.getState().prices.C?.price === 7)
    expect(loop.opened.map((o) => o.symbols)).toEqual([['C']])
    expect(loop.opened[0]?.protocols).toEqual([])
    expect(loop.received).toEqual([])
  })
})
