import type { RefObject } from 'react'
import type { ConnectionConfig, StreamManagerConfig } from '../core/config'

/** The connection config of `name` (or of the `url` shorthand when `name` is undefined). */
function connectionOf(
  config: StreamManagerConfig | undefined,
  name: string | undefined,
): ConnectionConfig | undefined {
  if (config === undefined) return undefined
  if (name === undefined) return config.connections === undefined ? config : undefined
  return config.connections?.[name]
}

function bindConnection<C extends ConnectionConfig>(
  connection: C,
  name: string | undefined,
  latest: RefObject<StreamManagerConfig | undefined>,
): C {
  const bound: C = { ...connection }
  const { getToken, fetchSnapshot } = connection
  if (getToken !== undefined) {
    bound.getToken = () => (connectionOf(latest.current, name)?.getToken ?? getToken)()
  }
  if (fetchSnapshot !== undefined) {
    bound.fetchSnapshot = (symbols, signal) =>
      (connectionOf(latest.current, name)?.fetchSnapshot ?? fetchSnapshot)(symbols, signal)
  }
  return bound
}

/**
 * A copy of `config` whose `getToken` and `fetchSnapshot` call the ones of the latest render.
 *
 * The manager reads its config once, when the provider creates it; an inline config such as
 * `{ url, getToken: () => session.token }` is a new closure every render. Without this, the
 * manager would keep calling the first render's closure and send a stale token on every
 * reconnect. A callback present at creation is always forwarded to the newest one (or to the
 * first one if a later render dropped it); one added later is not seen, since its presence
 * changes what the manager does on open.
 */
export function bindLatestCallbacks(
  config: StreamManagerConfig,
  latest: RefObject<StreamManagerConfig | undefined>,
): StreamManagerConfig {
  if (config.connections !== undefined) {
    const connections = Object.fromEntries(
      Object.entries(config.connections).map(([name, c]) => [
        name,
        bindConnection(c, name, latest),
      ]),
    )
    return { ...config, connections }
  }
  return bindConnection(config, undefined, latest)
}
