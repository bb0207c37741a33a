/**
 * `tickwire/core`: the framework-free stream manager, its store, transports, protocols and
 * codecs. Runs in browsers, Node and workers; imports no React and touches no `window` at
 * import time (the only module-level work below is re-exporting).
 *
 * @example
 * ```ts
 * import WebSocket from 'ws'
 * import { createStreamManager, selectPrice } from 'tickwire/core'
 *
 * const manager = createStreamManager({
 *   url: 'ws://127.0.0.1:8080/ws',
 *   WebSocket, // the `ws` package's constructor fits as it is
 * })
 * const release = manager.subscribe(['BTC-USD'])
 * manager.store.subscribe((state) => console.log(selectPrice('BTC-USD')(state)?.price))
 * ```
 *
 * @packageDocumentation
 */

/** The manager: `createStreamManager(config)` returns a {@link StreamManager}. */
export { createStreamManager } from './manager'
/**
 * The stream engine off the main thread: `createEngineManager` (what `createStreamManager`
 * calls for `engine: 'worker' | 'shared'`), and `engineProtocol` to name a built-in protocol
 * adapter so it can be rebuilt inside the worker.
 */
export { createEngineManager, engineProtocol } from './engine'
export type { EngineManager, EngineManagerConfig, EngineOptions, ProtocolSpec } from './engine'
/**
 * Routing helpers: the name of the `url` shorthand's connection (`default`) and the connection
 * a call without `{ connection }` goes to (the React layer uses it to key its hooks).
 */
export { DEFAULT_CONNECTION, defaultRoute } from './routing'
/** The manager's contract and the undo a subscription returns. */
export type { StreamManager, SubscribeOptions, Release } from './stream-manager'
export type {
  EngineInspection,
  StreamInspection,
  InspectedFrame,
  StatusRecord,
  WantedCount,
} from './stream-manager'

/** Configuration types and the resolved defaults (`DEFAULTS`, documented per key). */
export { DEFAULTS } from './config'
export type {
  ConnectionConfig,
  StreamManagerConfig,
  StreamManagerOptions,
  EngineKind,
  ReconnectOptions,
  RestSnapshot,
  WebSocketLike,
  WebSocketConstructor,
  EventSourceLike,
  EventSourceConstructor,
} from './config'

/** The data shapes of the store and of the manager's events. */
export type {
  ConnectionStatus,
  ConnectionStats,
  ConnectionInfo,
  FallbackInfo,
  PriceTick,
  PriceSource,
  PriceDirection,
  SymbolError,
  StreamState,
  StatusEvent,
  StreamErrorKind,
  StreamErrorEvent,
  AppMessageEvent,
  StreamEvents,
  StreamEventName,
} from './types'

/** Opt-in Redux DevTools connection of the store (`devtools: true` in the config). */
export { connectStoreDevtools, DEVTOOLS_FRAME_ACTION } from './prices/store-devtools'
export type { StoreDevtoolsOptions, StoreDevtoolsSetting } from './prices/store-devtools'

/** Injectable timers: the default on the host's globals, and the provider interface. */
export { defaultTimers } from './timers'
export type { TimerProvider, TimerHandle } from './timers'

/** Zeroed statistics (fixtures, controlled components) and their sum over connections. */
export { emptyStats, sumStats } from './connection/stats'

/** Store helpers: the store and its selectors for hooks. */
export { createStreamStore, selectPrice, selectConnection, selectSymbolError } from './prices/store'
/**
 * Per-symbol reads of the store: a listener called only when its symbol's tick changes, and the
 * symbols that changed between two states (what the React hooks and components are built on).
 */
export { watchPrice } from './prices/store-watch'
export { changedPrices } from './prices/price-record'
export type { PriceRecord } from './prices/price-record'
/**
 * The plain-data diff one frame writes (the serializable seam: a Worker can build it) and the
 * store writer that applies it.
 */
export { applyDiff } from './prices/diff'
export type { StreamDiff } from './prices/diff'
/**
 * The one status model: severity and visible state per status, the "worst status" used by the
 * app-wide status, and the visible state the status components show.
 */
export {
  STATUS_MODEL,
  STATUS_SEVERITY,
  STATUS_KINDS,
  STATUS_LABELS,
  statusKind,
  isWorse,
  worstStatus,
} from './status'
export type { StatusKind, StatusKindOptions, StatusModelEntry } from './status'

/** Wire protocol adapters: the tickwire protocol (default) and Binance's public stream. */
export { tickwireProtocol } from './protocols/tickwire'
export { binanceProtocol } from './protocols/binance'
export type { BinanceProtocolOptions, BinanceStream } from './protocols/binance'
export type { ProtocolAdapter, InboundEvent, TickData } from './protocols/types'

/** Reconnect delay for an attempt (PROTOCOL.md section 4), pure. */
export { backoffDelay } from './connection/backoff'
export type { BackoffOptions } from './connection/backoff'

/** Codecs: JSON text frames and MessagePack binary frames. */
export { jsonCodec, msgpackCodec, codecFor } from './codecs/index'
export type { Codec, Encoding, Frame } from './codecs/types'

/** Transports: WebSocket, Server-Sent Events, and the REST poller used in fallback. */
export { createWebSocketTransport, createSseTransport } from './transports/index'
export { createPoller } from './fallback/poller'
export type { PollerOptions } from './fallback/poller'
export type { Poller, PolledSnapshot } from './fallback/types'
/**
 * First paint with prices: the REST snapshot as a react-query query (one per symbol set), and
 * its prefetch for server rendering (callable from a React Server Component).
 */
export { pricesQuery, prefetchPrices, readPricesData } from './prices-query'
export type {
  PricesDataView,
  PricesQueryData,
  PricesQueryEntry,
  PricesQueryKey,
  PricesQueryOptions,
} from './prices-query'
export type {
  Transport,
  TransportFactory,
  TransportHandlers,
  TransportOpenOptions,
  TransportKind,
  TransportCapabilities,
  TransportDefinition,
} from './transports/types'
export type { ServerOutcome, ServerError } from './protocols/outcomes'
