import type { ConnectionInfo } from '../core/types'
import {
  describeReason,
  formatBytes,
  formatDuration,
  secondsUntil,
  STATUS_LABELS,
  type StatusKind,
} from './statusView'

/**
 * A connection's info as `ConnectionStatusCard` reads it: the store's `ConnectionInfo`, whose
 * `queuedFrames` fills the Queued frames row (left out when a controlled info has none).
 */
export type CardConnectionInfo = ConnectionInfo

/** One row of the card's description list: a stable key, the term and its value as text. */
export interface CardRow {
  key: CardRowKey
  term: string
  value: string
}

/** Which fact a row holds; also the row's `data-row` attribute, for styling and tests. */
export type CardRowKey =
  | 'state'
  | 'reason'
  | 'latency'
  | 'messages'
  | 'bytes'
  | 'reconnects'
  | 'last-message'
  | 'uptime'
  | 'next-retry'
  | 'symbols'
  | 'queued'
  | 'fallback'

/** What `cardRows` needs besides the info. */
export interface CardRowInput {
  info: CardConnectionInfo
  kind: StatusKind
  /** Symbols the connection is subscribed to; undefined when unknown. */
  symbols: readonly string[] | undefined
  /** True when the card shows Delayed because a price is stale. */
  stale: boolean
  now: number
}

const count = (n: number) => n.toLocaleString('en-US')

function latency(info: ConnectionInfo): string {
  if (info.latencyMs === undefined) return 'not measured yet'
  const last = `${Math.round(info.latencyMs)} ms`
  return info.avgLatencyMs === undefined
    ? `${last} last`
    : `${last} last, ${Math.round(info.avgLatencyMs)} ms smoothed`
}

function symbolsText(symbols: readonly string[]): string {
  if (symbols.length === 0) return 'none'
  const shown = symbols.slice(0, 8).join(', ')
  return symbols.length > 8
    ? `${count(symbols.length)}: ${shown}, …`
    : `${count(symbols.length)}: ${shown}`
}

/**
 * The rows of one connection's description list, in reading order. Rows that do not apply
 * (no retry scheduled, socket not open, not polling) are left out rather than shown empty.
 */
export function cardRows({ info, kind, symbols, stale, now }: CardRowInput): CardRow[] {
  const { stats } = info
  const rows: CardRow[] = [
    {
      key: 'state',
      term: 'State',
      value: `${STATUS_LABELS[kind]} (${info.status}${info.attempt > 0 ? `, attempt ${info.attempt}` : ''})`,
    },
  ]
  const reason = stale && kind === 'delayed' ? 'prices are stale' : info.reason
  if (reason !== undefined)
    rows.push({ key: 'reason', term: 'Reason', value: describeReason(reason) })
  rows.push({ key: 'latency', term: 'Latency', value: latency(info) })
  rows.push({
    key: 'messages',
    term: 'Messages',
    value: `${count(stats.messagesIn)} in / ${count(stats.messagesOut)} out`,
  })
  rows.push({
    key: 'bytes',
    term: 'Bytes',
    value: `${formatBytes(stats.bytesIn)} in / ${formatBytes(stats.bytesOut)} out`,
  })
  rows.push({ key: 'reconnects', term: 'Reconnects', value: count(stats.reconnects) })
  rows.push({
    key: 'last-message',
    term: 'Last message',
    value:
      stats.lastMessageAt === undefined
        ? 'none yet'
        : `${formatDuration(now - stats.lastMessageAt)} ago`,
  })
  if (info.status === 'open' && stats.connectedAt !== undefined) {
    rows.push({
      key: 'uptime',
      term: 'Socket uptime',
      value: formatDuration(now - stats.connectedAt),
    })
  }
  const retryIn = secondsUntil(info.nextRetryAt, now)
  if (retryIn !== undefined) {
    rows.push({
      key: 'next-retry',
      term: 'Next retry',
      value: retryIn === 0 ? 'now' : `in ${retryIn}s`,
    })
  }
  if (symbols !== undefined)
    rows.push({ key: 'symbols', term: 'Symbols', value: symbolsText(symbols) })
  if (info.queuedFrames !== undefined) {
    rows.push({ key: 'queued', term: 'Queued frames', value: count(info.queuedFrames) })
  }
  if (info.fallback.active) {
    const since =
      info.fallback.since === undefined ? '' : ` for ${formatDuration(now - info.fallback.since)}`
    const why =
      info.fallback.reason === undefined ? 'polling REST' : describeReason(info.fallback.reason)
    rows.push({ key: 'fallback', term: 'Fallback', value: `${why}${since}` })
  }
  return rows
}
