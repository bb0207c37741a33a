import { isValidSymbol } from '../protocols/tickwire'
import type { StreamManager, SubscribeOptions } from '../stream-manager'
import type { Subscriptions } from './ref-counts'

/** What the manager's subscribe methods need. */
export interface SubscribeApiOptions {
  subscriptions: Subscriptions
  /** The connection a call is for (throws for an unknown one). */
  route(options: SubscribeOptions | undefined): { name: string }
  /** The pending hand-over of wanted sets to the connections, if any. */
  pending(): Promise<void> | null
  destroyed(): boolean
}

/**
 * `subscribe` (a reference until the returned release), and `subscribePrices` /
 * `unsubscribePrices` (references of their own, resolved once the connection has the new set).
 * Symbols that cannot be valid (empty, or naming a prototype) are left out.
 */
export function createSubscribeApi(
  options: SubscribeApiOptions,
): Pick<StreamManager, 'subscribe' | 'subscribePrices' | 'unsubscribePrices'> {
  const { subscriptions, route, destroyed } = options
  const symbolsOf = (symbols: readonly string[]): string[] => symbols.filter(isValidSymbol)

  function imperative(
    change: 'acquire' | 'release',
    symbols: readonly string[],
    subscribeOptions: SubscribeOptions | undefined,
  ): Promise<void> {
    if (destroyed()) return Promise.resolve()
    try {
      subscriptions[change](route(subscribeOptions).name, symbolsOf(symbols), true)
    } catch (error) {
      return Promise.reject(error as Error)
    }
    return options.pending() ?? Promise.resolve()
  }

  return {
    subscribe(symbols, subscribeOptions) {
      if (destroyed()) return () => {}
      const { name } = route(subscribeOptions)
      const list = symbolsOf(symbols)
      subscriptions.acquire(name, list)
      let released = false
      return () => {
        if (released || destroyed()) return
        released = true
        subscriptions.release(name, list)
      }
    },
    subscribePrices: (symbols, o) => imperative('acquire', symbols, o),
    unsubscribePrices: (symbols, o) => imperative('release', symbols, o),
  }
}
