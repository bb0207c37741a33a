import { QueryClient, QueryClientContext } from '@tanstack/react-query'
import { useContext, useEffect, useState } from 'react'
import type { ReactNode, RefObject } from 'react'
import type { StreamManagerConfig } from '../core/config'
import { createStreamManager } from '../core/manager'
import type { StreamManager } from '../core/stream-manager'
import { StreamContext } from './context'
import { bindLatestCallbacks } from './latestCallbacks'
import { useLatest } from './useLatest'
import { useManagerStatusChange, type StatusChangeHandler } from './useStatusChange'

interface StreamProviderCommonProps {
  children?: ReactNode
  /**
   * Called once per real status change of any connection, with `{ connection, previous,
   * status, reason }` (see `useStatusChange`). May be an inline function: the latest one is
   * called and changing it never resubscribes.
   * @defaultValue undefined
   */
  onStatusChange?: StatusChangeHandler
}

/**
 * Props of {@link StreamProvider}: exactly one of `url`, `config` or `manager`.
 *
 * - `url`: one connection named `default`, every other setting at its default.
 * - `config`: anything `createStreamManager` takes. Only the connection URLs (and their
 *   transports) are watched after the first render: a config object with a new identity but
 *   the same URLs keeps the manager and its sockets. `getToken` and `fetchSnapshot` may be
 *   inline closures: the manager always calls the latest render's. To apply other changes,
 *   give the provider a new React `key`.
 * - `manager`: a manager you created and own. The provider starts it (`start()` is idempotent)
 *   but never destroys it.
 */
export type StreamProviderProps = StreamProviderCommonProps &
  (
    | { url: string; config?: never; manager?: never }
    | { config: StreamManagerConfig; url?: never; manager?: never }
    | { manager: StreamManager; url?: never; config?: never }
  )

/**
 * A manager this provider created, with the bookkeeping that makes StrictMode safe.
 *
 * `acquire`/`release` count the mounted effects that use the manager. The last release does
 * not destroy at once but in a microtask: StrictMode's simulated unmount is followed
 * synchronously by the re-mount, which acquires again and cancels the destroy, so the socket
 * opened by the first `start()` is the only one. A real unmount destroys it a microtask later,
 * leaving no timer behind.
 */
interface OwnedManager {
  readonly key: string
  readonly queryClient: QueryClient
  readonly manager: StreamManager
  /** Starts the manager; `false` when it was already destroyed and a new one is needed. */
  acquire(): boolean
  release(): void
}

/**
 * What decides whether a config needs a new manager: the engine, and the connections' names,
 * URLs and transports. Everything else (functions, numbers) is read once, so an inline config object
 * does not reconnect on every render.
 */
function managerKey(config: StreamManagerConfig): string {
  const connections =
    config.connections !== undefined
      ? Object.entries(config.connections).map(([name, c]) => [
          name,
          c.url,
          c.transport ?? 'websocket',
        ])
      : [['default', config.url, config.transport ?? 'websocket']]
  connections.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))
  // Where the engine runs is part of what the manager is: another engine needs a new one.
  return JSON.stringify([config.engine ?? 'main', config.sharedName ?? '', connections])
}

/**
 * Creates a manager without side effects (`autoStart: false`): safe during render, during
 * server rendering, and in renders React throws away.
 */
function createOwned(
  config: StreamManagerConfig,
  appClient: QueryClient | undefined,
  latest: RefObject<StreamManagerConfig | undefined>,
): OwnedManager {
  const ownsClient = config.queryClient === undefined && appClient === undefined
  const queryClient = config.queryClient ?? appClient ?? new QueryClient()
  const manager = createStreamManager({
    ...bindLatestCallbacks(config, latest),
    queryClient,
    autoStart: false,
  })
  let users = 0
  let destroyed = false
  let destroyPending = false

  return {
    key: managerKey(config),
    queryClient,
    manager,
    acquire() {
      if (destroyed) return false
      users += 1
      if (users === 1 && !destroyPending && ownsClient) queryClient.mount()
      destroyPending = false
      manager.start()
      return true
    },
    release() {
      users -= 1
      if (users > 0 || destroyPending) return
      destroyPending = true
      queueMicrotask(() => {
        if (!destroyPending || users > 0 || destroyed) return
        destroyPending = false
        destroyed = true
        manager.destroy()
        // A client we made is ours to unmount; the app's client belongs to the app.
        if (ownsClient) queryClient.unmount()
      })
    },
  }
}

function configOf(props: StreamProviderProps): StreamManagerConfig | undefined {
  if (props.manager !== undefined) return undefined
  if (props.config !== undefined) return props.config
  return { url: props.url }
}

/**
 * Gives the components below it a stream of live prices: it creates one `StreamManager`,
 * starts it after mount and destroys it on unmount.
 *
 * - Under React StrictMode it opens exactly one socket per connection.
 * - Nothing that opens a socket or starts a timer runs during render, so server rendering
 *   (`renderToString`, RSC client boundaries) opens nothing; the client hydrates and then
 *   connects.
 * - A new `config` object with the same URLs does nothing; a changed URL string replaces the
 *   manager once (the old one is destroyed, a new one connects), so it reconnects once.
 * - It uses the app's QueryClient when a `QueryClientProvider` is above it, its own otherwise,
 *   for the REST side (snapshots and fallback polling).
 * - Errors from the network never throw into React: they show in the hooks' `status` and
 *   `errors`.
 * - Inside a hidden `<Activity>` React disconnects effects, so the provider destroys its
 *   manager (the socket closes); when shown again it creates a new one and connects.
 *
 * @example
 * ```tsx
 * import { StreamProvider, usePrice } from 'tickwire'
 *
 * function Btc() {
 *   const tick = usePrice('BTC-USD')
 *   return <span>{tick?.price ?? '…'}</span>
 * }
 *
 * export function App() {
 *   return (
 *     <StreamProvider url="wss://feed.example.com/ws">
 *       <Btc />
 *     </StreamProvider>
 *   )
 * }
 * ```
 */
export function StreamProvider(props: StreamProviderProps): ReactNode {
  // Read the context directly: useQueryClient() throws when no QueryClientProvider is above.
  const appClient = useContext(QueryClientContext)
  const external = props.manager
  const config = configOf(props)
  const latestConfig = useLatest(config)

  const [owned, setOwned] = useState<OwnedManager | null>(() =>
    config === undefined ? null : createOwned(config, appClient, latestConfig),
  )

  // Replace the manager when what it connects to changed (or the app's QueryClient did).
  // This is React's "adjust state while rendering" pattern: the new manager is not started
  // here, so a render React discards leaves nothing behind.
  let current = owned
  if (
    config !== undefined &&
    (owned === null ||
      owned.key !== managerKey(config) ||
      (appClient !== undefined &&
        owned.queryClient !== appClient &&
        config.queryClient === undefined))
  ) {
    current = createOwned(config, appClient, latestConfig)
    setOwned(current)
  }

  // Before the effect that starts the manager, so the first change (to connecting) is seen.
  useManagerStatusChange(external ?? current?.manager, props.onStatusChange)

  useEffect(() => {
    if (external !== undefined) {
      external.start()
      return undefined
    }
    if (current === null) return undefined
    if (!current.acquire()) {
      // The manager was destroyed while this provider stayed in the tree but its effects
      // were disconnected (an <Activity> hidden, then shown): it needs a fresh one. This
      // cannot happen in StrictMode, whose re-mount comes before the deferred destroy.
      const cfg = latestConfig.current
      // eslint-disable-next-line react-hooks/set-state-in-effect -- rare recovery path, see above
      if (cfg !== undefined) setOwned(createOwned(cfg, appClient, latestConfig))
      return undefined
    }
    return () => current.release()
  }, [external, current, appClient, latestConfig])

  const manager = external ?? current?.manager
  if (manager === undefined) {
    // Unreachable with the prop types; a plain-JS caller gets a useful message.
    throw new Error('tickwire: <StreamProvider> needs a `url`, a `config` or a `manager` prop.')
  }
  return <StreamContext.Provider value={manager}>{props.children}</StreamContext.Provider>
}
