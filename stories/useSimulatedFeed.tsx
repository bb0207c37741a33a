import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { StreamManagerConfig } from '../src/core/config'
import { StreamProvider } from '../src/react'
import {
  createSimulatedFeed,
  SIMULATED_URL,
  type SimulatedFeed,
  type SimulatedFeedOptions,
} from './simulatedFeed'

/**
 * One simulated feed per story mount, destroyed on unmount. Creating it has no side effect
 * (no timer until a socket opens), so StrictMode's double render is harmless. The destroy
 * waits a microtask: StrictMode's simulated unmount is followed at once by a remount, which
 * must find the feed (and a socket the provider may already be opening on it) intact.
 */
export function useSimulatedFeed(options: SimulatedFeedOptions = {}): SimulatedFeed {
  const [feed] = useState(() => createSimulatedFeed(options))
  const mounted = useRef(0)
  useEffect(() => {
    mounted.current += 1
    return () => {
      mounted.current -= 1
      queueMicrotask(() => {
        if (mounted.current === 0) feed.destroy()
      })
    }
  }, [feed])
  return feed
}

/** Manager settings that make every state reachable within seconds in a story. */
export function simulatedConfig(feed: SimulatedFeed): StreamManagerConfig {
  return {
    url: SIMULATED_URL,
    WebSocket: feed.WebSocket,
    fetchSnapshot: feed.fetchSnapshot,
    heartbeatIntervalMs: 2_000,
    staleTimeoutMs: 8_000,
    reconnect: { initialDelayMs: 1_000, maxDelayMs: 8_000, jitter: 0.2, maxAttempts: 100 },
    fallbackAfterFailures: 3,
    fallbackIntervalMs: 3_000,
  }
}

/** A StreamProvider wired to a simulated feed. */
export function SimulatedProvider({
  feed,
  children,
}: {
  feed: SimulatedFeed
  children: ReactNode
}) {
  const config = useMemo(() => simulatedConfig(feed), [feed])
  return <StreamProvider config={config}>{children}</StreamProvider>
}
