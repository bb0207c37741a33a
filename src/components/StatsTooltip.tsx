import * as Tooltip from '@radix-ui/react-tooltip'
import type { ReactElement, ReactNode } from 'react'
import type { ConnectionInfo } from '../core/types'
import { useConnectionRows, useNow, type ConnectionMap } from './connectionData'
import {
  describeReason as describeReasonCode,
  formatBytes,
  formatDuration,
  secondsUntil,
  STATUS_LABELS,
  statusKind,
} from './statusView'

/** Where the tooltip reads its numbers: given as props, or from the nearest provider. */
export type StatsSource =
  | { kind: 'controlled'; connections: ConnectionMap; stale: boolean }
  | { kind: 'provider'; connection: string | undefined }

export interface StatsTooltipProps {
  /** The trigger: one focusable element that the tooltip describes. */
  children: ReactElement
  source: StatsSource
  delayedAfterMs: number
  /** Block class of the owning component; the tooltip's parts are `__`-suffixed to it. */
  block: string
  /** Hover delay before opening, in ms. */
  delayMs: number
}

/**
 * The statistics tooltip shared by `ConnectionStatus` and `ConnectionIndicator`.
 * It brings its own `Tooltip.Provider`: Radix does not expose whether one is above, and a
 * nested provider only scopes the open delay to this tooltip, so this is always safe.
 * The content mounts only while open, so the per-message counters cost nothing when closed.
 */
export function StatsTooltip({
  children,
  source,
  delayedAfterMs,
  block,
  delayMs,
}: StatsTooltipProps) {
  return (
    <Tooltip.Provider delayDuration={delayMs}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content
            className={`${block}__tooltip`}
            side="bottom"
            align="start"
            sideOffset={6}
            collisionPadding={8}
          >
            {source.kind === 'controlled' ? (
              <StatsBody
                connections={source.connections}
                isStale={() => source.stale}
                delayedAfterMs={delayedAfterMs}
                block={block}
              />
            ) : (
              <ProviderStatsBody
                connection={source.connection}
                delayedAfterMs={delayedAfterMs}
                block={block}
              />
            )}
            <Tooltip.Arrow className={`${block}__tooltip-arrow`} />
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
    </Tooltip.Provider>
  )
}

function ProviderStatsBody(props: {
  connection: string | undefined
  delayedAfterMs: number
  block: string
}) {
  const { connections, stale } = useConnectionRows(props.connection)
  return (
    <StatsBody
      connections={connections}
      isStale={(name) => stale.has(name)}
      delayedAfterMs={props.delayedAfterMs}
      block={props.block}
    />
  )
}

interface StatsBodyProps {
  connections: ConnectionMap
  isStale: (name: string) => boolean
  delayedAfterMs: number
  block: string
}

function StatsBody({ connections, isStale, delayedAfterMs, block }: StatsBodyProps) {
  // Ticks once a second while open, for "connected for" and the retry countdown.
  const now = useNow(true)
  const names = Object.keys(connections)
  if (names.length === 0) return <p className={`${block}__stats-empty`}>No connection configured</p>
  return (
    <div className={`${block}__stats`}>
      {names.map((name) => {
        const info = connections[name]
        return info ? (
          <ConnectionStats
            key={name}
            name={name}
            info={info}
            stale={isStale(name)}
            delayedAfterMs={delayedAfterMs}
            now={now}
            block={block}
          />
        ) : null
      })}
    </div>
  )
}

interface ConnectionStatsProps {
  name: string
  info: ConnectionInfo
  stale: boolean
  delayedAfterMs: number
  now: number
  block: string
}

function ConnectionStats({ name, info, stale, delayedAfterMs, now, block }: ConnectionStatsProps) {
  const kind = statusKind(info, { delayedAfterMs, stale })
  const { stats } = info
  const retryIn = secondsUntil(info.nextRetryAt, now)
  const reason = describeReason(info, kind === 'delayed' && stale)
  const rows: [string, ReactNode][] = [
    [
      'Status',
      `${STATUS_LABELS[kind]} (${info.status}${info.attempt > 0 ? `, attempt ${info.attempt}` : ''})`,
    ],
  ]
  if (reason !== undefined) rows.push(['Reason', reason])
  rows.push(['Latency', formatLatency(info)])
  rows.push([
    'Messages',
    `${stats.messagesIn.toLocaleString()} in / ${stats.messagesOut.toLocaleString()} out`,
  ])
  rows.push(['Bytes', `${formatBytes(stats.bytesIn)} in / ${formatBytes(stats.bytesOut)} out`])
  rows.push(['Reconnects', stats.reconnects.toLocaleString()])
  rows.push([
    'Dropped / invalid',
    `${stats.dropped.toLocaleString()} / ${stats.invalid.toLocaleString()}`,
  ])
  if (info.status === 'open' && stats.connectedAt !== undefined) {
    rows.push(['Connected for', formatDuration(now - stats.connectedAt)])
  }
  if (retryIn !== undefined) rows.push(['Next retry', retryIn === 0 ? 'now' : `in ${retryIn}s`])
  if (info.fallback.active && info.fallback.since !== undefined) {
    rows.push(['Polling for', formatDuration(now - info.fallback.since)])
  }
  return (
    <section className={`${block}__stats-connection`} data-status={kind}>
      {/* The name is text from configuration: rendered as text, never as markup. */}
      <p className={`${block}__stats-title`}>{name}</p>
      <dl className={`${block}__stats-list`}>
        {rows.map(([term, value]) => (
          <div key={term} className={`${block}__stats-row`}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

function formatLatency(info: ConnectionInfo): string {
  if (info.latencyMs === undefined) return 'not measured yet'
  const avg = info.avgLatencyMs === undefined ? '' : ` (avg ${Math.round(info.avgLatencyMs)} ms)`
  return `${Math.round(info.latencyMs)} ms${avg}`
}

/** The reason in words a user can act on; the raw code stays visible for bug reports. */
function describeReason(info: ConnectionInfo, staleData: boolean): string | undefined {
  if (staleData) return 'prices are stale'
  const reason = info.fallback.active ? (info.fallback.reason ?? info.reason) : info.reason
  return reason === undefined ? undefined : describeReasonCode(reason)
}
