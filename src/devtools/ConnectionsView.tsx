import type { ConnectionInfo, ConnectionStats } from '../core'
import type { StatusRecord } from './inspection'
import { styles, statusColor } from './styles'
import { age, clock, type ViewProps } from './view'

const STAT_LABELS: [keyof ConnectionStats, string][] = [
  ['messagesIn', 'messages in'],
  ['messagesOut', 'messages out'],
  ['bytesIn', 'bytes in'],
  ['bytesOut', 'bytes out'],
  ['dropped', 'dropped'],
  ['invalid', 'invalid'],
  ['reconnects', 'reconnects'],
  ['errors', 'errors'],
]

/** The connections tab: one card per connection, with its status history. */
export function ConnectionsView({
  manager,
  now,
  history,
  onClear,
}: ViewProps & { history: readonly StatusRecord[]; onClear(): void }) {
  const connections = manager.store.getState().connections
  return (
    <>
      {Object.entries(connections).map(([name, info]) => (
        <ConnectionCard
          key={name}
          name={name}
          info={info}
          now={now}
          history={history.filter((r) => r.connection === name)}
        />
      ))}
      <button type="button" style={styles.button} onClick={onClear}>
        Clear history
      </button>
    </>
  )
}

function ConnectionCard({
  name,
  info,
  now,
  history,
}: {
  name: string
  info: ConnectionInfo
  now: number
  history: readonly StatusRecord[]
}) {
  return (
    <div className="tw-devtools__connection" style={styles.section} data-connection={name}>
      <div>
        <strong>{name}</strong>{' '}
        <span style={{ color: statusColor(info.status) }} data-status={info.status}>
          {info.status}
        </span>
        {info.reason ? ` (${info.reason})` : ''}
        {info.attempt > 0 ? ` · attempt ${info.attempt}` : ''}
        {info.nextRetryAt ? ` · next retry in ${age(info.nextRetryAt - now)}` : ''}
        {info.latencyMs !== undefined ? ` · latency ${Math.round(info.latencyMs)} ms` : ''}
        {info.fallback.active ? ` · polling REST (${info.fallback.reason ?? 'fallback'})` : ''}
      </div>
      <div style={styles.stats}>
        {STAT_LABELS.map(([key, label]) => (
          <span key={key}>
            {label}: <strong>{info.stats[key] ?? 0}</strong>
          </span>
        ))}
        <span>
          last message:{' '}
          {info.stats.lastMessageAt ? `${age(now - info.stats.lastMessageAt)} ago` : '—'}
        </span>
        <span>
          connected: {info.stats.connectedAt ? `${age(now - info.stats.connectedAt)} ago` : '—'}
        </span>
      </div>
      <table style={styles.table} aria-label={`${name} status history`}>
        <thead>
          <tr>
            <th style={styles.th}>time</th>
            <th style={styles.th}>from</th>
            <th style={styles.th}>to</th>
            <th style={styles.th}>reason</th>
          </tr>
        </thead>
        <tbody>
          {[...history]
            .reverse()
            .slice(0, 30)
            .map((record, i) => (
              <tr key={`${record.at}-${i}`}>
                <td style={styles.td}>{clock(record.at)}</td>
                {/* The seed record (the status when recording began) has no "from". */}
                <td style={{ ...styles.td, color: statusColor(record.from) }}>
                  {record.from === record.to ? '—' : record.from}
                </td>
                <td style={{ ...styles.td, color: statusColor(record.to) }}>{record.to}</td>
                <td style={styles.td}>{record.reason ?? ''}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  )
}
