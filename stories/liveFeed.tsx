import { useCallback, useEffect, useState } from 'react'

/**
 * The reference feed server's WebSocket URL for the stories that need a real one: the page's
 * `feed` query parameter (the e2e test passes the server it started), else
 * `STORYBOOK_FEED_URL` when Storybook was started with it, else the server's default. The
 * cast stands in for Vite's client types, which this project does not load globally; Vite
 * still replaces the expression at build time.
 */
export function liveFeedUrl(): string {
  const fromPage =
    typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('feed')
  return (
    fromPage ??
    (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env?.[
      'STORYBOOK_FEED_URL'
    ] ??
    'ws://127.0.0.1:8080/ws'
  )
}

/** The server's HTTP origin (REST base and `/health`), from its WebSocket URL. */
export function httpOrigin(wsUrl: string): string {
  const url = new URL(wsUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  return url.origin
}

/** Whether the feed server answered its health check. */
export type Probe = 'checking' | 'up' | 'down'

/**
 * Asks `/health` before any socket is made. Without this, a stopped server would mean a
 * reconnect loop, each attempt printing the browser's own "WebSocket connection failed"
 * line; a refused probe prints one network line (two under StrictMode's double effect), and
 * the story explains what to do.
 */
export function useServerProbe(origin: string): [Probe, () => void] {
  const [probe, setProbe] = useState<Probe>('checking')
  const [round, setRound] = useState(0)
  useEffect(() => {
    // `round` is read so that "Try again" runs the probe anew.
    void round
    const controller = new AbortController()
    let cancelled = false
    // A server that accepts but never answers counts as down after 2 s.
    const timeout = setTimeout(() => controller.abort(), 2_000)
    fetch(`${origin}/health`, { signal: controller.signal, cache: 'no-store' })
      .then((res) => !cancelled && setProbe(res.ok ? 'up' : 'down'))
      .catch(() => !cancelled && setProbe('down'))
      .finally(() => clearTimeout(timeout))
    return () => {
      cancelled = true
      clearTimeout(timeout)
      controller.abort()
    }
  }, [origin, round])
  const retry = useCallback(() => {
    setProbe('checking')
    setRound((r) => r + 1)
  }, [])
  return [probe, retry]
}

/** What a live-feed story shows while it has no server: how to start one, and a retry. */
export function FeedServerDown({ url, onRetry }: { url: string; onRetry: () => void }) {
  return (
    <div className="sb-callout" role="note">
      <p style={{ marginTop: 0 }}>
        <strong>The local feed server is not running</strong> at <code>{url}</code>.
      </p>
      <p>
        Start it with <code>npm start</code> in the project folder, then try again. To use another
        server, start Storybook with <code>STORYBOOK_FEED_URL=ws://host:port/ws</code> or add{' '}
        <code>&amp;feed=ws://host:port/ws</code> to the story&apos;s iframe URL.
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  )
}
