import type { StoreApi } from 'zustand/vanilla'
import type { EngineKind } from './config'
import type { PolledSnapshot } from './fallback/types'
import type { ConnectionStats, ConnectionStatus, StreamEvents, StreamState } from './types'

/** Options of `subscribe` and friends. */
export interface SubscribeOptions {
  /** Connection to use. @defaultValue 'default', or the only connection */
  connection?: string
}

/** Undo of a `subscribe`; calling it more than once does nothing. */
export type Release = () => void

/**
 * One per app: owns the connections, the wanted set, the merge state and the store.
 * Created by `createStreamManager`.
 */
export interface StreamManager {
  /** The zustand vanilla store the manager writes, once per animation frame at most. */
  readonly store: StoreApi<StreamState>
  /** Starts the connections of a manager created with `autoStart: false`. Idempotent. */
  start(): void
  /** Wants these symbols until the returned release is called (reference counted). */
  subscribe(symbols: readonly string[], options?: SubscribeOptions): Release
  /** Adds one reference per symbol; resolves once the frames are sent or queued for the next open. */
  subscribePrices(symbols: readonly string[], options?: SubscribeOptions): Promise<void>
  /** Removes one reference per symbol that `subscribePrices` added. */
  unsubscribePrices(symbols: readonly string[], options?: SubscribeOptions): Promise<void>
  /** Reconnects now, skipping any backoff wait; all connections when none is named. */
  reconnect(connection?: string): void
  /** Closes and stays closed until `reconnect()`; all connections when none is named. */
  disconnect(connection?: string): void
  /**
   * Turns a connection off (closed, status `closed` reason `manual`, subscriptions kept) or
   * back on (it reconnects and resubscribes when it would be running). Idempotent: the same
   * value again does nothing, so several components may apply one setting.
   */
  setConnectionEnabled(connection: string, enabled: boolean): void
  /**
   * Changes the per-symbol throttle of the running manager (ms, 0 turns it off); `undefined`
   * goes back to the configured `throttleMs`. Throws a RangeError for a negative or
   * non-finite value.
   */
  setThrottle(ms: number | undefined): void
  /**
   * Applies a REST snapshot (PROTOCOL.md 5) to the symbols wanted on the connection, with the
   * rule of polled values: it never replaces a newer streamed price (higher `seq`, or equal
   * `seq` and newer `ts`). Used for the first paint while the socket opens.
   */
  seedPrices(snapshot: PolledSnapshot, options?: SubscribeOptions): void
  /** Sends an application message, queued while the socket is not open. */
  send(message: unknown, options?: SubscribeOptions): void
  /** Listens to an event; returns the undo. */
  on<E extends keyof StreamEvents>(
    event: E,
    listener: (payload: StreamEvents[E]) => void,
  ): () => void
  /** One connection's statistics, or the sums over all connections. */
  getStats(connection?: string): ConnectionStats
  /** Names of the configured connections. */
  readonly connectionNames: readonly string[]
  /** Closes sockets and clears every timer and listener; the manager is inert afterwards. */
  destroy(): void
  /** Read-only views for development tools (`tickwire/devtools`); not for app logic. */
  inspect(): StreamInspection
}

/** One symbol's place in a connection's wanted set, as `inspect().wanted()` reports it. */
export interface WantedCount {
  /** All references (`subscribe` and `subscribePrices`). */
  refs: number
  /** The part of `refs` that `subscribePrices` added. */
  imperative: number
  /** The last reference is gone and the unsubscribe waits for `unsubscribeDelayMs`. */
  pendingRelease: boolean
}

/** One frame as it travelled, for `inspect().onFrame`. */
export interface InspectedFrame {
  connection: string
  direction: 'in' | 'out'
  /** When it was received or written (ms since epoch, the manager's clock). */
  at: number
  /** Text or bytes as on the wire; `null` for an `auth` frame, whose token never leaves the connection. */
  frame: string | Uint8Array | null
}

/** One status change, for `inspect().history()`. */
export interface StatusRecord {
  at: number
  connection: string
  from: ConnectionStatus
  to: ConnectionStatus
  reason?: string
}

/**
 * Read-only views for development tools (`tickwire/devtools`), not for app logic. Costs
 * nothing until used: no frame is handed anywhere while no `onFrame` listener is registered.
 */
export interface StreamInspection {
  /** Every connection's wanted set with its reference counts (a copy). */
  wanted(): Record<string, Record<string, WantedCount>>
  /** Calls `listener` with every frame in and out; returns the undo. */
  onFrame(listener: (frame: InspectedFrame) => void): () => void
  /** The last status changes of every connection since creation, oldest first (at most 200). */
  history(): readonly StatusRecord[]
  /** Where the pipeline runs and how many tabs share it, as of the engine's last frame. */
  engine(): EngineInspection
}

/** Where a manager's pipeline runs, as `inspect().engine()` reports it. */
export interface EngineInspection {
  /** `main` (this thread), `worker` (a dedicated Worker) or `shared` (one engine for all tabs). */
  kind: EngineKind
  /** Tabs attached to the engine as of its last frame: always 1 unless `kind` is `shared`. */
  tabs: number
}
