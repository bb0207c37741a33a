import type { Codec, Encoding } from '../codecs/types'
import { DEFAULTS, type ConnectionConfig, type RestSnapshot } from '../config'
import { tickwireProtocol } from '../protocols/tickwire'
import type { ProtocolAdapter } from '../protocols/types'
import { resolveTransport } from '../transports/index'
import type { TransportDefinition } from '../transports/types'

/** A `ConnectionConfig` with every default of `DEFAULTS` applied. */
export interface ResolvedConnectionConfig {
  url: string
  transport: TransportDefinition
  protocol: ProtocolAdapter
  encoding: Encoding
  codecs: Readonly<Record<string, Codec>>
  getToken: (() => string | Promise<string>) | undefined
  enabled: boolean
  heartbeatIntervalMs: number
  staleTimeoutMs: number
  reconnect: { initialDelayMs: number; maxDelayMs: number; jitter: number; maxAttempts: number }
  autoReconnect: boolean
  fallbackAfterFailures: number
  maxQueue: number
  maxMessageBytes: number
  lazy: boolean
  restUrl: string | undefined
  fetchSnapshot: ((symbols: string[], signal: AbortSignal) => Promise<RestSnapshot>) | undefined
}

/** A positive finite number, or the default: a typo like `NaN` must not turn a timer into a busy loop. */
function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback
}

/**
 * Applies the defaults of `DEFAULTS` (config.ts) to a connection config. Nonsense numbers
 * (negative, NaN) fall back to the default rather than being trusted.
 */
export function resolveConnectionConfig(config: ConnectionConfig): ResolvedConnectionConfig {
  const r = config.reconnect ?? {}
  const d = DEFAULTS.reconnect
  return {
    url: config.url,
    transport: resolveTransport(config),
    protocol: config.protocol ?? tickwireProtocol(),
    encoding: config.encoding ?? DEFAULTS.encoding,
    codecs: config.codecs ?? {},
    getToken: config.getToken,
    enabled: config.enabled ?? true,
    heartbeatIntervalMs: positive(config.heartbeatIntervalMs, DEFAULTS.heartbeatIntervalMs),
    staleTimeoutMs: positive(config.staleTimeoutMs, DEFAULTS.staleTimeoutMs),
    reconnect: {
      initialDelayMs: nonNegative(r.initialDelayMs, d.initialDelayMs),
      maxDelayMs: nonNegative(r.maxDelayMs, d.maxDelayMs),
      jitter: Math.min(1, nonNegative(r.jitter, d.jitter)),
      maxAttempts: nonNegative(r.maxAttempts, d.maxAttempts),
    },
    autoReconnect: config.autoReconnect ?? DEFAULTS.autoReconnect,
    fallbackAfterFailures: positive(config.fallbackAfterFailures, DEFAULTS.fallbackAfterFailures),
    maxQueue: nonNegative(config.maxQueue, DEFAULTS.maxQueue),
    maxMessageBytes: positive(config.maxMessageBytes, DEFAULTS.maxMessageBytes),
    lazy: config.lazy ?? DEFAULTS.lazy,
    restUrl: config.restUrl,
    fetchSnapshot: config.fetchSnapshot,
  }
}
