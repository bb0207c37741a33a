import type { ConnectionConfig, StreamManagerConfig } from './config'
import type { ConnectionStats } from './types'

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
  'connections',
])

/**
 * The named connection configs of a manager config: `connections` as given, or the `url`
 * shorthand as one connection named `default` carrying every `ConnectionConfig` key found
 * beside `url`. Throws on a config with neither, since such a manager could never stream.
 */
export function resolveConnectionConfigs(config: StreamManagerConfig): Record<string, ConnectionConfig> {
  if (config.connections) {
    const names = Object.keys(config.connections)
    if (names.length === 0) throw new TypeError('tickwire: `connections` must name at least one connection')
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

/** Whether a string can be a symbol: non-empty and not a key that reaches a prototype. */
export function isValidSymbol(symbol: unknown): symbol is string {
  return (
    typeof symbol === 'string' &&
    symbol.length > 0 &&
    symbol !== '__proto__' &&
    symbol !== 'constructor' &&
    symbol !== 'prototype'
  )
}

/** Sums of statistics over connections; times are the latest of any. */
export function sumStats(all: ConnectionStats[]): ConnectionStats {
  const out: ConnectionStats = {
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    dropped: 0,
    invalid: 0,
    reconnects: 0,
    errors: 0,
  }
  for (const s of all) {
    out.messagesIn += s.messagesIn
    out.messagesOut += s.messagesOut
    out.bytesIn += s.bytesIn
    out.bytesOut += s.bytesOut
    out.dropped += s.dropped
    out.invalid += s.invalid
    out.reconnects += s.reconnects
    out.errors += s.errors
    if (s.lastMessageAt !== undefined) out.lastMessageAt = Math.max(out.lastMessageAt ?? 0, s.lastMessageAt)
    if (s.connectedAt !== undefined) out.connectedAt = Math.max(out.connectedAt ?? 0, s.connectedAt)
  }
  return out
}
