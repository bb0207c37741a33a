/**
 * The server's side of the wire format (PROTOCOL.md sections 1 to 3): message shapes, the
 * validation of client frames and the two encodings. The server keeps its own copy of these
 * types on purpose: it is the reference other implementations are checked against, so it must
 * not silently follow a change made for the client.
 */
import { Packr } from 'msgpackr'
import type { PriceData } from './market'

/** Subprotocol for JSON text frames. */
export const JSON_SUBPROTOCOL = 'tickwire.v1.json'
/** Subprotocol for binary MessagePack frames. */
export const MSGPACK_SUBPROTOCOL = 'tickwire.v1.msgpack'
/** Most symbols one subscribe, unsubscribe or resync frame (or REST/SSE request) may carry. */
export const MAX_SYMBOLS_PER_FRAME = 100

/** Encoding of one WebSocket session. */
export type WireEncoding = 'json' | 'msgpack'

/** `welcome` (PROTOCOL.md 3.1). */
export interface WelcomeMessage {
  type: 'welcome'
  serverTime: number
  heartbeatMs: number
}
/** `snapshot` (3.2). */
export interface SnapshotMessage {
  type: 'snapshot'
  symbol: string
  seq: number
  ts: number
  data: PriceData
}
/** `delta` (3.3): only the changed fields. */
export interface DeltaMessage {
  type: 'delta'
  symbol: string
  seq: number
  ts: number
  data: Partial<PriceData>
}
/** `batch` (3.4). */
export interface BatchMessage {
  type: 'batch'
  messages: Array<SnapshotMessage | DeltaMessage>
}
/** `pong` (3.5). */
export interface PongMessage {
  type: 'pong'
  ts: number
}
/** Error codes this server sends. */
export type ErrorCode = 'bad_request' | 'unknown_symbol' | 'rate_limited' | 'unauthorized'
/** `error` (3.6). */
export interface ErrorMessage {
  type: 'error'
  code: ErrorCode
  message: string
  symbols?: string[]
  /** Seconds to wait, for `rate_limited`. */
  retryAfter?: number
  /** The `id` of the subscribe or unsubscribe frame that caused it, when known. */
  id?: number
}
/** Anything the server sends. */
export type ServerMessage =
  WelcomeMessage | SnapshotMessage | DeltaMessage | BatchMessage | PongMessage | ErrorMessage

/**
 * An application message (order updates, news, ...): any `type` the protocol does not define.
 * Clients hand those to `message` listeners untouched (PROTOCOL.md 1).
 */
export interface AppMessage {
  type: string
  [key: string]: unknown
}

/** Client frames (PROTOCOL.md section 2) once validated. */
export type ClientMessage =
  | { type: 'auth'; token: string }
  | { type: 'subscribe' | 'unsubscribe'; id?: number; symbols: string[] }
  | { type: 'resync'; symbols: string[] }
  | { type: 'ping'; ts: number }

/**
 * Outcome of {@link parseClientFrame}: a protocol message, an application message (an object
 * with a `type` the protocol does not define), or why the frame was refused (and its `id`).
 */
export type ParseResult =
  | { ok: true; message: ClientMessage }
  | { ok: true; app: AppMessage }
  | { ok: false; reason: string; id?: number }

// Plain objects and arrays only: msgpackr's records extension would be unreadable by other
// MessagePack decoders, and a client is free to use any.
const packr = new Packr({ useRecords: false, moreTypes: false })

/** Encodes a message for a session: a JSON string or a MessagePack buffer. */
export function encodeMessage(
  message: ServerMessage | AppMessage,
  encoding: WireEncoding,
): string | Buffer {
  return encoding === 'json' ? JSON.stringify(message) : packr.pack(message)
}

/** Decodes a MessagePack buffer (exported for tests and tools). */
export function decodeMsgpack(data: Uint8Array): unknown {
  return packr.unpack(data)
}

/**
 * Picks the subprotocol to answer: the client's first offer this server supports, so the
 * client's order of preference wins (PROTOCOL.md 1). `false` when none is supported, which
 * `ws` answers by not selecting one (JSON, per the protocol).
 */
export function pickSubprotocol(offered: Iterable<string>): string | false {
  for (const name of offered) {
    if (name === JSON_SUBPROTOCOL || name === MSGPACK_SUBPROTOCOL) return name
  }
  return false
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

function readSymbols(raw: unknown): string[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return 'symbols must be a non-empty array'
  if (raw.length > MAX_SYMBOLS_PER_FRAME) {
    return `at most ${MAX_SYMBOLS_PER_FRAME} symbols per frame (got ${raw.length})`
  }
  for (const item of raw) {
    if (typeof item !== 'string' || item.length === 0 || item.length > 64 || FORBIDDEN.has(item)) {
      return 'symbols must be non-empty strings of at most 64 characters'
    }
  }
  return [...new Set(raw as string[])]
}

/**
 * Decodes and validates one client frame: text as JSON, binary as MessagePack, whatever was
 * negotiated (the same leniency PROTOCOL.md asks of clients).
 */
export function parseClientFrame(data: Buffer, isBinary: boolean): ParseResult {
  let value: unknown
  try {
    value = isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'))
  } catch {
    return {
      ok: false,
      reason: isBinary ? 'frame is not valid MessagePack' : 'frame is not valid JSON',
    }
  }
  if (!isRecord(value) || typeof value.type !== 'string') {
    return { ok: false, reason: 'frame must be an object with a string type' }
  }
  const id = value.id
  const idOk = id === undefined || (Number.isSafeInteger(id) && (id as number) >= 0)
  switch (value.type) {
    case 'auth':
      return typeof value.token === 'string'
        ? { ok: true, message: { type: 'auth', token: value.token } }
        : { ok: false, reason: 'auth needs a string token' }
    case 'subscribe':
    case 'unsubscribe':
    case 'resync': {
      const echo = idOk && id !== undefined ? { id: id as number } : {}
      if (!idOk) return { ok: false, reason: 'id must be a non-negative integer' }
      const symbols = readSymbols(value.symbols)
      if (typeof symbols === 'string') return { ok: false, reason: symbols, ...echo }
      if (value.type === 'resync') return { ok: true, message: { type: 'resync', symbols } }
      return { ok: true, message: { type: value.type, symbols, ...echo } }
    }
    case 'ping':
      return typeof value.ts === 'number' && Number.isFinite(value.ts)
        ? { ok: true, message: { type: 'ping', ts: value.ts } }
        : { ok: false, reason: 'ping needs a numeric ts' }
    default:
      return { ok: true, app: value as AppMessage }
  }
}

/** Splits a `symbols` query value (`A,B,C`) into distinct non-empty names. */
export function parseSymbolList(raw: string | null): string[] {
  if (!raw) return []
  return [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ]
}
