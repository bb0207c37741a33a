import { binanceProtocol, tickwireProtocol, type ProtocolAdapter } from '../index'
import type { ProtocolSpec } from './messages'

/**
 * Adapters made by {@link engineProtocol}, with the spec that rebuilds them on the other side.
 * A WeakMap, not a property: the adapter object stays exactly what the factory returned.
 */
const specs = new WeakMap<ProtocolAdapter, ProtocolSpec>()

/**
 * A built-in protocol adapter that can move into a worker engine. An adapter is an object with
 * methods, which `postMessage` cannot copy; one made here carries its name and options, and
 * the worker builds the same adapter on its side. Works as a plain adapter on the main-thread
 * engine too. Leaving `protocol` out means `tickwireProtocol()`, which always crosses.
 *
 * @example
 * ```ts
 * createStreamManager({
 *   url: 'wss://stream.binance.com:9443/ws',
 *   engine: 'worker',
 *   protocol: engineProtocol({ name: 'binance', options: { symbols: { 'BTC-USD': 'BTCUSDT' } } }),
 * })
 * ```
 */
export function engineProtocol(spec: ProtocolSpec): ProtocolAdapter {
  const adapter = buildProtocol(spec)
  specs.set(adapter, spec)
  return adapter
}

/** The spec of an adapter made by {@link engineProtocol}, or undefined for any other object. */
export function protocolSpec(adapter: ProtocolAdapter): ProtocolSpec | undefined {
  return specs.get(adapter)
}

/** The adapter a spec names (the worker side of {@link engineProtocol}). */
export function buildProtocol(spec: ProtocolSpec): ProtocolAdapter {
  return spec.name === 'binance' ? binanceProtocol(spec.options) : tickwireProtocol()
}
