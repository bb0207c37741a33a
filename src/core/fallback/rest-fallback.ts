import { QueryClient } from '@tanstack/query-core'
import { DEFAULTS, type ConnectionConfig } from '../config'
import type { TimerProvider } from '../timers'
import type { StreamErrorEvent } from '../types'
import { createPoller } from './poller'
import type { PolledSnapshot, Poller } from './types'

/** Options of {@link createRestFallback}. */
export interface RestFallbackOptions {
  timers: TimerProvider
  /** The app's QueryClient; without one, the fallback mounts its own at the first poll. */
  queryClient: QueryClient | undefined
  /** A validated snapshot of one connection arrived. */
  onSnapshot(connection: string, snapshot: PolledSnapshot, receivedAt: number): void
  onError(event: StreamErrorEvent): void
}

/**
 * REST polling while a connection is in fallback. Driven by status events only: the manager
 * calls {@link RestFallback.follow} with the connection's fallback flag when its status
 * changes, never from a store read or a frame flush.
 */
export interface RestFallback {
  /** Registers a connection; nothing is made until it first falls back. */
  add(name: string, config: ConnectionConfig): void
  /** A status event: polls while `active`, stops otherwise. */
  follow(name: string, active: boolean): void
  /** The symbols a connection wants, polled from the next request on. */
  setSymbols(name: string, symbols: readonly string[]): void
  /** Stops every poller and unmounts a QueryClient of its own. */
  destroy(): void
}

interface Entry {
  config: ConnectionConfig
  poller: Poller | null
  polling: boolean
  symbols: readonly string[]
}

/** Creates the REST fallback of a manager. */
export function createRestFallback(options: RestFallbackOptions): RestFallback {
  const entries = new Map<string, Entry>()
  let ownedClient: QueryClient | null = null
  let destroyed = false

  function queryClient(): QueryClient {
    if (options.queryClient) return options.queryClient
    if (!ownedClient) {
      ownedClient = new QueryClient()
      ownedClient.mount()
    }
    return ownedClient
  }

  function makePoller(name: string, config: ConnectionConfig): Poller | null {
    const { restUrl, fetchSnapshot } = config
    if (!restUrl && !fetchSnapshot) return null
    return createPoller({
      // Made at the first fallback, not at creation: a QueryClient of our own mounts focus and
      // online listeners, which a manager created during a render must not do.
      queryClient: queryClient(),
      connection: name,
      ...(restUrl ? { restUrl } : {}),
      ...(fetchSnapshot ? { fetchSnapshot } : {}),
      intervalMs: config.fallbackIntervalMs ?? DEFAULTS.fallbackIntervalMs,
      timers: options.timers,
      onSnapshot: (snapshot, receivedAt) => {
        if (!destroyed) options.onSnapshot(name, snapshot, receivedAt)
      },
      onError: (message) => {
        if (!destroyed)
          options.onError({ connection: name, kind: 'transport', code: 'poll_failed', message })
      },
    })
  }

  return {
    add(name, config) {
      entries.set(name, { config, poller: null, polling: false, symbols: [] })
    },
    follow(name, active) {
      const entry = entries.get(name)
      if (!entry || destroyed || active === entry.polling) return
      if (active) {
        entry.poller ??= makePoller(name, entry.config)
        if (!entry.poller) return
        entry.polling = true
        entry.poller.setSymbols(entry.symbols)
        entry.poller.start()
      } else {
        entry.polling = false
        entry.poller?.stop()
      }
    },
    setSymbols(name, symbols) {
      const entry = entries.get(name)
      if (!entry) return
      entry.symbols = symbols
      entry.poller?.setSymbols(symbols)
    },
    destroy() {
      destroyed = true
      for (const entry of entries.values()) entry.poller?.destroy()
      entries.clear()
      if (ownedClient) {
        ownedClient.unmount()
        ownedClient.clear()
        ownedClient = null
      }
    },
  }
}
