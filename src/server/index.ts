/**
 * `tickwire/server`: the reference feed server (Node only). It speaks every server side of
 * PROTOCOL.md over a seeded simulated market; `tickwire-feed` runs it from the command line.
 */
export { createFeedServer } from './feedServer'
export type { CompressionOptions, FeedServer, FeedServerOptions, FeedServerStats } from './types'
export { DEFAULT_COMPRESSION_LEVEL, DEFAULT_COMPRESSION_THRESHOLD } from './compression'
export type { AppMessageHandler, RateLimitOptions } from './context'
export { createMarket, createRandom } from './market'
export type { Market, MarketOptions, PriceData, SymbolMove, SymbolSnapshot } from './market'
export { CATALOGUE, DEFAULT_SYMBOLS, describeSymbol, generateSymbols } from './catalogue'
export type { AssetKind, CatalogueEntry } from './catalogue'
export {
  JSON_SUBPROTOCOL,
  MAX_SYMBOLS_PER_FRAME,
  MSGPACK_SUBPROTOCOL,
  decodeMsgpack,
  encodeMessage,
} from './messages'
export type {
  AppMessage,
  BatchMessage,
  ClientMessage,
  DeltaMessage,
  ErrorCode,
  ErrorMessage,
  PongMessage,
  ServerMessage,
  SnapshotMessage,
  WelcomeMessage,
  WireEncoding,
} from './messages'
export { CLOSE_GOING_AWAY, CLOSE_TOO_MANY, CLOSE_UNAUTHORIZED } from './session'
export { createFeedPublisher } from './publisher'
export type {
  FeedPublisher,
  FeedPublisherOptions,
  FeedPublisherStats,
  RedisConnectionOptions,
  UpstreamOptions,
} from './publisher'
export type { EdgeMarketOptions, EdgeRedisStats } from './edgeNode'
