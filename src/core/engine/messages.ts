/**
 * The worker protocol: every message between a tab (the proxy manager of ./client.ts) and the
 * engine host (./host.ts, inside a Worker or SharedWorker). Plain data only, the serializable
 * seam of the design: commands one way, per-frame diffs and events the other.
 */
import type {
  BinanceProtocolOptions,
  ConnectionConfig,
  ConnectionStats,
  InspectedFrame,
  PolledSnapshot,
  StatusRecord,
  StreamDiff,
  StreamEvents,
  StreamManagerOptions,
  WantedCount,
} from '../index'

/** A built-in protocol adapter named across the boundary (see ./protocols.ts). */
export type ProtocolSpec =
  { name: 'tickwire' } | { name: 'binance'; options: BinanceProtocolOptions }

/** Keys of a connection config that hold functions or objects with behaviour. */
export type LocalConnectionKey =
  'protocol' | 'codecs' | 'getToken' | 'fetchSnapshot' | 'WebSocket' | 'EventSource'

/** A connection config as it crosses: data only, the callbacks replaced by flags. */
export type WireConnection = Omit<ConnectionConfig, LocalConnectionKey> & {
  protocol?: ProtocolSpec
  /** The tab answers `getToken` calls for this connection. */
  getToken?: true
  /** The tab answers `fetchSnapshot` calls for this connection. */
  fetchSnapshot?: true
}

/** The manager config as it crosses: numeric options and data-only connections. */
export interface WireConfig {
  options: Pick<
    StreamManagerOptions,
    'throttleMs' | 'staleAfterMs' | 'cacheTtlMs' | 'unsubscribeDelayMs' | 'autoStart'
  >
  connections: Record<string, WireConnection>
}

/** A function of the config that runs in the tab, asked for by the host. */
export type RemoteFunction = 'getToken' | 'fetchSnapshot'

/** Tab to host. */
export type ClientMessage =
  | { type: 'attach'; clientId: string; config: WireConfig; lockName: string | null }
  | { type: 'acquire'; hold: number; connection: string; symbols: string[] }
  | { type: 'release'; hold: number }
  | {
      type: 'prices'
      id: number
      op: 'subscribe' | 'unsubscribe'
      connection: string
      symbols: string[]
    }
  | { type: 'start' }
  | { type: 'reconnect'; connection?: string }
  | { type: 'disconnect'; connection?: string }
  | { type: 'enable'; connection: string; enabled: boolean }
  | { type: 'throttle'; ms: number | null }
  | { type: 'seed'; connection: string; snapshot: PolledSnapshot }
  | { type: 'send'; connection: string; message: unknown }
  | { type: 'inspect'; frames: boolean }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; message: string }
  /** The tab wrote the last frame to its store: the host may post the next (./frame-gate.ts). */
  | { type: 'ack' }
  | { type: 'detach' }

/** What `inspect()` reads in the tab, refreshed with every frame while a tool looks. */
export interface InspectionMirror {
  wanted: Record<string, Record<string, WantedCount>>
  history: StatusRecord[]
}

/** An event of the manager, forwarded as it happened. */
export type EventMessage = {
  [E in keyof StreamEvents]: { type: 'event'; event: E; payload: StreamEvents[E] }
}[keyof StreamEvents]

/** Host to tab. */
export type HostMessage =
  | {
      type: 'frame'
      diff: StreamDiff
      /** Every connection's statistics at this frame, for `getStats()`. */
      stats: Record<string, ConnectionStats>
      /** Tabs attached to the host (1 for a dedicated worker). */
      tabs: number
      inspection?: InspectionMirror
    }
  | EventMessage
  | { type: 'done'; id: number; error?: string }
  | {
      type: 'call'
      id: number
      fn: RemoteFunction
      connection: string
      symbols: string[]
    }
  | { type: 'cancel'; id: number }
  | { type: 'inspected'; frame: InspectedFrame }
  /**
   * A tab attached or left: the new count, at once and outside the frame gate (it is not a
   * store write and needs no ack), so it reaches tabs that get no frames (no prices flowing).
   */
  | { type: 'tabs'; tabs: number }
  | { type: 'closed' }
  | { type: 'fatal'; message: string }
  /** Something the tab's developer should know (printed once as a warning). */
  | { type: 'notice'; message: string }

/** Where messages of one side go: a MessagePort, a Worker or a worker's global scope. */
export interface Endpoint<Out> {
  postMessage(message: Out): void
}
