/**
 * The commands of the worker engine's proxy manager (client.ts): each checks its arguments on
 * this thread, as the main-thread manager would, and posts plain data to the host.
 */
import type { Release, StreamManager, SubscribeOptions } from '../index'
import type { ProxyState } from './proxy-state'

/** The manager methods that only send a command to the host. */
export type ProxyCommands = Pick<
  StreamManager,
  | 'subscribe'
  | 'subscribePrices'
  | 'unsubscribePrices'
  | 'reconnect'
  | 'disconnect'
  | 'setConnectionEnabled'
  | 'setThrottle'
  | 'seedPrices'
  | 'send'
>

/** `subscribePrices`/`unsubscribePrices`: settles when the host says it is done. */
function requestPrices(
  state: ProxyState,
  op: 'subscribe' | 'unsubscribe',
  symbols: readonly string[],
  options?: SubscribeOptions,
): Promise<void> {
  if (state.destroyed) return Promise.resolve()
  let connection: string
  try {
    connection = state.route(options)
  } catch (error) {
    return Promise.reject(error as Error)
  }
  const id = state.nextId++
  return new Promise<void>((resolve, reject) => {
    state.pending.set(id, { resolve, reject })
    state.channel.post({ type: 'prices', id, op, connection, symbols: [...symbols] })
  })
}

/** The command methods over `state`. */
export function proxyCommands(state: ProxyState): ProxyCommands {
  const { channel, route } = state
  return {
    subscribe(symbols, options): Release {
      if (state.destroyed) return () => {}
      const connection = route(options)
      const hold = state.nextId++
      channel.post({ type: 'acquire', hold, connection, symbols: [...symbols] })
      let released = false
      return () => {
        if (released || state.destroyed) return
        released = true
        channel.post({ type: 'release', hold })
      }
    },
    subscribePrices: (symbols, options) => requestPrices(state, 'subscribe', symbols, options),
    unsubscribePrices: (symbols, options) => requestPrices(state, 'unsubscribe', symbols, options),
    reconnect(name) {
      if (state.destroyed) return
      if (name !== undefined) route({ connection: name })
      channel.post(
        name === undefined ? { type: 'reconnect' } : { type: 'reconnect', connection: name },
      )
    },
    disconnect(name) {
      if (state.destroyed) return
      if (name !== undefined) route({ connection: name })
      channel.post(
        name === undefined ? { type: 'disconnect' } : { type: 'disconnect', connection: name },
      )
    },
    setConnectionEnabled(name, enabled) {
      if (!state.destroyed)
        channel.post({ type: 'enable', connection: route({ connection: name }), enabled })
    },
    setThrottle(ms) {
      // Checked here as the main-thread manager does, so a bad value throws in the caller.
      if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
        throw new RangeError(`tickwire: bad throttleMs ${String(ms)}`)
      }
      if (!state.destroyed) channel.post({ type: 'throttle', ms: ms ?? null })
    },
    seedPrices(snapshot, options) {
      if (!state.destroyed) channel.post({ type: 'seed', connection: route(options), snapshot })
    },
    send(message, options) {
      if (!state.destroyed) channel.post({ type: 'send', connection: route(options), message })
    },
  }
}
