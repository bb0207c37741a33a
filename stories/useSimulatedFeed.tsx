import { useEffect, useMemo, useState, type ReactNode } from 'react'
import type { StreamManagerConfig } from '../src/core/config'
import { StreamProvider } from '../src/react'
import { createSimulatedFeed, SIMULATED_URL, type SimulatedFeed, type SimulatedFeedOptions } from './simulatedFeed'

/**
 * One simulated feed per story mount, destroyed on unmount. Creating it has no side effect
 * (no timer until a socket opens), so StrictMode's double render is harmless.
 */
export function useSimulatedFeed(options: SimulatedFeedOptions = {}): SimulatedFeed {
  const [feed] = useState(() => createSimulatedFeed(options))
  useEffect(() => () => feed.destroy(), [feed])
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
export function SimulatedProvider({ feed, children }: { feed: SimulatedFeed; children: ReactNode }) {
  const config = useMemo(() => simulatedConfig(feed), [feed])
  return <StreamProvider config={config}>{children}</StreamProvider>
}
