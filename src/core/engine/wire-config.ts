import type { ConnectionConfig, RestSnapshot, StreamManagerConfig } from '../index'
import { DEFAULT_CONNECTION } from '../routing'
import type { WireConfig, WireConnection } from './messages'
import { protocolSpec } from './protocols'

/** The callbacks of one connection that stay in the tab and answer the host's calls. */
export interface LocalFunctions {
  getToken?: () => string | Promise<string>
  fetchSnapshot?: (symbols: string[], signal: AbortSignal) => Promise<RestSnapshot>
}

/** A config split for the worker: what crosses, and what the tab keeps. */
export interface SplitConfig {
  wire: WireConfig
  local: Record<string, LocalFunctions>
}

/** Why a config cannot leave the main thread: the option that holds behaviour. */
export interface Blocked {
  blocked: string
  why: string
}

/** Manager-level keys that name plain numbers or flags and cross as they are. */
const WIRE_OPTIONS = [
  'throttleMs',
  'staleAfterMs',
  'cacheTtlMs',
  'unsubscribeDelayMs',
  'autoStart',
] as const

/** Manager-level keys that never cross: they stay with the tab or do not apply in a worker. */
const TAB_OPTIONS = new Set([
  ...WIRE_OPTIONS,
  'connections',
  'engine',
  'sharedName',
  'workerUrl',
  'devtools',
  'queryClient',
  'timers',
  'random',
])

/** The connection configs of a manager config, the `url` shorthand as one named `default`. */
function connectionsOf(config: StreamManagerConfig): Record<string, ConnectionConfig> {
  if (config.connections) return config.connections
  const own: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(config)) {
    if (!TAB_OPTIONS.has(key) && value !== undefined) own[key] = value
  }
  return { [DEFAULT_CONNECTION]: own as unknown as ConnectionConfig }
}

/** The names of a config's connections, as the manager will have them. */
export function connectionNames(config: StreamManagerConfig): string[] {
  return config.connections ? Object.keys(config.connections) : [DEFAULT_CONNECTION]
}

/**
 * Splits a config for a worker engine, or names the first option that cannot cross: a custom
 * protocol adapter, codecs, a WebSocket or EventSource constructor, custom timers or `random`.
 * `getToken` and `fetchSnapshot` stay in the tab and are called through the worker.
 * `queryClient` stays too: the worker polls with a client of its own.
 */
export function splitConfig(config: StreamManagerConfig): SplitConfig | Blocked {
  if (config.timers) return { blocked: 'timers', why: 'custom timers are functions of this thread' }
  if (config.random) return { blocked: 'random', why: 'a function cannot be copied to a worker' }
  const options: WireConfig['options'] = {}
  for (const key of WIRE_OPTIONS) {
    const value = config[key]
    if (value !== undefined) (options as Record<string, unknown>)[key] = value
  }
  const wire: WireConfig = { options, connections: {} }
  const local: Record<string, LocalFunctions> = {}
  for (const [name, connection] of Object.entries(connectionsOf(config))) {
    const split = splitConnection(name, connection)
    if ('blocked' in split) return split
    wire.connections[name] = split.wire
    local[name] = split.local
  }
  return { wire, local }
}

function splitConnection(
  name: string,
  config: ConnectionConfig,
): { wire: WireConnection; local: LocalFunctions } | Blocked {
  const at = (option: string) => (name === DEFAULT_CONNECTION ? option : `${name}.${option}`)
  const { protocol, codecs, getToken, fetchSnapshot, WebSocket, EventSource, ...data } = config
  if (WebSocket) return { blocked: at('WebSocket'), why: 'a constructor cannot be copied' }
  if (EventSource) return { blocked: at('EventSource'), why: 'a constructor cannot be copied' }
  if (codecs && Object.keys(codecs).length > 0) {
    return { blocked: at('codecs'), why: 'a codec is an object with functions' }
  }
  const wire: WireConnection = { ...data }
  if (protocol) {
    const spec = protocolSpec(protocol)
    if (!spec) {
      return {
        blocked: at('protocol'),
        why: 'a custom adapter is an object with functions (built-in adapters made with engineProtocol() cross)',
      }
    }
    wire.protocol = spec
  }
  const local: LocalFunctions = {}
  if (getToken) {
    wire.getToken = true
    local.getToken = getToken
  }
  if (fetchSnapshot) {
    wire.fetchSnapshot = true
    local.fetchSnapshot = fetchSnapshot
  }
  return { wire, local }
}
