/**
 * Value checks and tables of the Binance adapter (binance.ts): how a field of an exchange
 * event is read, and which symbol names are refused.
 */
import type { InboundEvent } from './types'

/** Names no symbol may take (they would reach object prototypes). */
export const FORBIDDEN_SYMBOLS = new Set(['', '__proto__', 'constructor', 'prototype'])
/** Separators an app may write between the two assets (`ETH-USDT`, `SOL/USDT`, `BTC_USDT`). */
export const NOT_ALPHANUMERIC = /[^A-Za-z0-9]/g

/** Tick fields of a `24hrTicker` event and the event key each is read from. */
export const TICKER_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['price', 'c'],
  ['bid', 'b'],
  ['ask', 'a'],
  ['volume', 'v'],
  ['change24h', 'P'],
  ['high24h', 'h'],
  ['low24h', 'l'],
]

/** An `invalid` event with its code and reason. */
export function invalid(code: string, message: string): InboundEvent {
  return { type: 'invalid', code, message }
}

/** Binance sends prices as decimal strings ("25.35190000"); numbers are accepted too. */
export function decimal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : undefined
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
