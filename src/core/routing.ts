import type { ConnectionConfig, StreamManagerConfig } from './config'

/** Name of the connection the `url` shorthand creates, and the default route. */
export const DEFAULT_CONNECTION = 'default'

/** Manager-level keys of the config: everything else beside `url` belongs to the connection. */
const MANAGER_KEYS = new Set([
  'throttleMs',
  'staleAfterMs',
  'cacheTtlMs',
  'unsubscribeDelayMs',
  'timers',
  'queryClient',
  'random',
  'autoStart',
  'devtools',
  'connections',
  'engine',
  'sharedName',
  'workerUrl',
])

/**
 * The named connection configs of a manager config: `connections` as given, or the `url`
 * shorthand as one connection named `default` carrying every `ConnectionConfig` key found
 * beside `url`. Throws on a config with neither, since such a manager could never stream.
 */
export function resolveConnectionConfigs(
  config: StreamManagerConfig,
): Record<string, ConnectionConfig> {
  if (config.connections) {
    const names = Object.keys(config.connections)
    if (names.length === 0)
      throw new TypeError('tickwire: `connections` must name at least one connection')
    for (const name of names) {
      if (name === '__proto__' || name === 'constructor' || name === 'prototype') {
        throw new TypeError(`tickwire: "${name}" cannot be a connection name`)
      }
    }
    return config.connections
  }
  if (typeof config.url !== 'string') {
    throw new TypeError('tickwire: createStreamManager needs `url` or `connections`')
  }
  const own: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(config)) {
    if (!MANAGER_KEYS.has(key) && value !== undefined) own[key] = value
  }
  return { [DEFAULT_CONNECTION]: own as unknown as ConnectionConfig }
}

/**
 * The connection used when a call names none: `default` when it exists, otherwise the only
 * connection; `undefined` with several connections and none named `default`.
 */
export function defaultRoute(names: readonly string[]): string | undefined {
  if (names.includes(DEFAULT_CONNECTION)) return DEFAULT_CONNECTION
  return names.length === 1 ? names[0] : undefined
}

/** Finds the connection a call is for. */
export interface Router<S> {
  /** The connection named in `options`, or the default route; throws a clear error otherwise. */
  route(options: { connection?: string } | undefined): S
  /** The named connection, or every connection when none is named. */
  targets(name: string | undefined): S[]
}

/** Creates the router over a manager's connections (in configuration order). */
export function createRouter<S>(slots: ReadonlyMap<string, S>): Router<S> {
  const names = [...slots.keys()]
  const fallback = defaultRoute(names)
  const route = (options: { connection?: string } | undefined): S => {
    const name = options?.connection ?? fallback
    const slot = name === undefined ? undefined : slots.get(name)
    if (slot) return slot
    throw new Error(
      name === undefined
        ? `tickwire: several connections (${names.join(', ')}) and none named "default": pass { connection }`
        : `tickwire: no connection named "${name}"`,
    )
  }
  return {
    route,
    targets: (name) => (name === undefined ? [...slots.values()] : [route({ connection: name })]),
  }
}
