import { useEffect, useReducer, useState, useSyncExternalStore, type CSSProperties } from 'react'
import type { ConnectionInfo, ConnectionStats, StreamManager } from '../core'
import { useStreamManager } from '../react'
import { createFrameRecorder, type FrameRecord, type FrameRecorder } from './frameRecorder'
import { historyOf, inspectionOf, type StatusRecord, type WantedEntry } from './inspection'
import { styles, statusColor } from './styles'

/** Props of {@link StreamDevtools}. */
export interface StreamDevtoolsProps {
  /** The manager to inspect. @defaultValue the nearest `StreamProvider`'s */
  manager?: StreamManager
  /**
   * Where the frames come from: a recorder whose `tap()` wraps the connection's `WebSocket`.
   * Without one, the panel records frames through the manager's `inspect()` hook when the
   * manager has it, and otherwise explains how to record them.
   */
  frames?: FrameRecorder
  /** Open at first render. @defaultValue false */
  initialOpen?: boolean
  /** A floating panel in a corner, or `inline` in the page flow. @defaultValue 'bottom-right' */
  position?: 'bottom-right' | 'bottom-left' | 'inline'
  /**
   * How often the open panel re-reads the stream, in ms. Not every frame: a tool must not
   * compete with the app it looks at. @defaultValue 500
   */
  refreshMs?: number
  /** Frames shown in the Frames tab (the recorder may hold more). @defaultValue 200 */
  maxFramesShown?: number
  className?: string
}

type Tab = 'connections' | 'symbols' | 'frames'

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

function clock(at: number): string {
  const d = new Date(at)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

function age(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`
  return `${Math.round(ms / 60_000)} min`
}

function preview(message: unknown): string {
  if (typeof message === 'string') return message
  try {
    return JSON.stringify(message)
  } catch {
    return String(message)
  }
}

/**
 * The time, re-read every `ms` while `active`: the panel's only timer, and only while open.
 * Each new value re-renders the panel, which then reads the store and the frames afresh.
 */
function useRefresh(ms: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const id = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(id)
  }, [ms, active])
  return now
}

/**
 * A development panel for a tickwire stream: each connection's status history and
 * statistics, the wanted symbols with their reference counts, every symbol's last update and
 * staleness, and the last frames in and out (secrets masked), with pause and clear.
 *
 * Import it from `tickwire/devtools`: an app that does not render it does not ship it. Render
 * it inside a `StreamProvider`, or pass `manager`. It reads the stream only while open.
 *
 * @example
 * ```tsx
 * import { StreamDevtools, createFrameRecorder } from 'tickwire/devtools'
 *
 * const frames = createFrameRecorder()
 * <StreamProvider config={{ url, WebSocket: frames.tap() }}>
 *   <App />
 *   {import.meta.env.DEV && <StreamDevtools frames={frames} />}
 * </StreamProvider>
 * ```
 */
export function StreamDevtools(props: StreamDevtoolsProps) {
  const fromContext = useContextManagerUnlessGiven(props.manager)
  const manager = props.manager ?? fromContext
  const [open, setOpen] = useState(props.initialOpen ?? false)
  const [tab, setTab] = useState<Tab>('connections')
  // A recorder of our own for the manager hook, made once; the `frames` prop wins.
  const [ownFrames] = useState(() => createFrameRecorder())
  const inspection = inspectionOf(manager)
  const frames = props.frames ?? (inspection ? ownFrames : undefined)
  const now = useRefresh(props.refreshMs ?? 500, open)

  // historyOf has no side effect; the subscription below starts its recording.
  const history = historyOf(manager)
  useSyncExternalStore(history.subscribe, history.getVersion, history.getVersion)
  useEffect(() => {
    if (!inspection || props.frames) return
    return inspection.onFrame((f) =>
      ownFrames.recordFrame(f.connection, f.direction, f.frame, f.at),
    )
  }, [inspection, props.frames, ownFrames])

  const position = props.position ?? 'bottom-right'
  const floating: CSSProperties =
    position === 'inline'
      ? {}
      : { ...styles.floating, ...(position === 'bottom-left' ? { left: 12 } : { right: 12 }) }

  if (!open) {
    return (
      <button
        type="button"
        className="tw-devtools__toggle"
        style={{ ...styles.toggle, ...floating }}
        aria-expanded={false}
        onClick={() => setOpen(true)}
      >
        tickwire devtools
      </button>
    )
  }

  return (
    <section
      className={['tw-devtools', props.className].filter(Boolean).join(' ')}
      style={{ ...styles.root, ...floating }}
      aria-label="tickwire devtools"
      data-tab={tab}
    >
      <header className="tw-devtools__header" style={styles.header}>
        <span style={styles.title}>tickwire</span>
        <div role="tablist" aria-label="Devtools views" style={{ display: 'flex', gap: 4 }}>
          {(['connections', 'symbols', 'frames'] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              style={{ ...styles.tab, ...(tab === name ? styles.tabActive : {}) }}
              onClick={() => setTab(name)}
            >
              {name[0]?.toUpperCase() + name.slice(1)}
            </button>
          ))}
        </div>
        <button type="button" style={styles.button} aria-expanded onClick={() => setOpen(false)}>
          Close
        </button>
      </header>
      <div className="tw-devtools__body" role="tabpanel" style={styles.body}>
        {tab === 'connections' && (
          <ConnectionsView
            manager={manager}
            now={now}
            history={history.entries()}
            onClear={() => history.clear()}
          />
        )}
        {tab === 'symbols' && (
          <SymbolsView manager={manager} now={now} wanted={inspection?.wanted() ?? null} />
        )}
        {tab === 'frames' && <FramesView frames={frames} max={props.maxFramesShown ?? 200} />}
      </div>
    </section>
  )
}

/**
 * The context's manager, read only when no `manager` prop is given: hooks cannot be called
 * conditionally, so the read is always made, and a missing provider only matters without
 * the prop.
 */
function useContextManagerUnlessGiven(given: StreamManager | undefined): StreamManager {
  try {
    return useStreamManager('StreamDevtools')
  } catch (error) {
    if (given) return given
    throw error
  }
}

interface ViewProps {
  manager: StreamManager
  /** The time of the last refresh, for ages. */
  now: number
}

function ConnectionsView({
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

function SymbolsView({
  manager,
  now,
  wanted,
}: ViewProps & { wanted: Record<string, Record<string, WantedEntry>> | null }) {
  const { prices, symbolErrors } = manager.store.getState()
  const refs = new Map<string, WantedEntry & { connection: string }>()
  for (const [connection, symbols] of Object.entries(wanted ?? {})) {
    for (const [symbol, entry] of Object.entries(symbols))
      refs.set(symbol, { ...entry, connection })
  }
  const symbols = [
    ...new Set([...refs.keys(), ...Object.keys(prices), ...Object.keys(symbolErrors)]),
  ].sort()
  return (
    <>
      {!wanted && (
        <p style={styles.note}>
          Reference counts need a manager with <code>inspect()</code>; the list shows the symbols
          the store holds.
        </p>
      )}
      <table style={styles.table} aria-label="Symbols">
        <thead>
          <tr>
            {[
              'symbol',
              'connection',
              'refs',
              'price',
              'source',
              'seq',
              'last update',
              'stale',
              'error',
            ].map((h) => (
              <th key={h} style={styles.th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {symbols.map((symbol) => {
            const tick = prices[symbol]
            const ref = refs.get(symbol)
            const error = symbolErrors[symbol]
            return (
              <tr key={symbol} data-symbol={symbol} data-stale={tick?.stale ? 'true' : 'false'}>
                <td style={styles.td}>{symbol}</td>
                <td style={styles.td}>{tick?.connection ?? ref?.connection ?? ''}</td>
                <td style={styles.td}>
                  {ref
                    ? `${ref.refs}${ref.imperative ? ` (${ref.imperative} imperative)` : ''}${ref.pendingRelease ? ' releasing' : ''}`
                    : '—'}
                </td>
                <td style={styles.td}>{tick?.price ?? ''}</td>
                <td style={styles.td}>{tick?.source ?? ''}</td>
                <td style={styles.td}>{tick?.seq ?? ''}</td>
                <td style={styles.td}>{tick ? `${age(now - tick.receivedAt)} ago` : ''}</td>
                <td style={{ ...styles.td, ...(tick?.stale ? styles.stale : {}) }}>
                  {tick ? (tick.stale ? 'stale' : 'fresh') : ''}
                </td>
                <td style={styles.td}>{error ? `${error.code}: ${error.message}` : ''}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}

function FramesView({ frames, max }: { frames: FrameRecorder | undefined; max: number }) {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  if (!frames) {
    return (
      <p style={styles.note}>
        No frames recorded. Create a recorder with <code>createFrameRecorder()</code>, pass{' '}
        <code>frames.tap()</code> as the connection&apos;s <code>WebSocket</code>, and give it to
        the panel: <code>&lt;StreamDevtools frames=&#123;frames&#125; /&gt;</code>.
      </p>
    )
  }
  // Frames are read at each refresh, not per frame: a busy feed must not re-render the panel
  // hundreds of times a second. Pause and Clear re-render at once through `rerender`.
  const entries = frames.entries()
  const shown = entries.slice(-max).reverse()
  return (
    <>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 6 }}>
        <button
          type="button"
          style={styles.button}
          aria-pressed={frames.paused}
          onClick={() => {
            frames.setPaused(!frames.paused)
            rerender()
          }}
        >
          {frames.paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          style={styles.button}
          onClick={() => {
            frames.clear()
            rerender()
          }}
        >
          Clear
        </button>
        <span style={styles.note} aria-live="polite">
          {entries.length} of {frames.total} frames{frames.paused ? ' (paused)' : ''}
        </span>
      </div>
      <table style={styles.table} aria-label="Frames">
        <thead>
          <tr>
            {['time', '', 'connection', 'bytes', 'message'].map((h, i) => (
              <th key={i} style={styles.th}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((frame) => (
            <FrameRow key={frame.id} frame={frame} />
          ))}
        </tbody>
      </table>
    </>
  )
}

const ARROWS = { in: '↓ in', out: '↑ out', event: '• ' } as const

function FrameRow({ frame }: { frame: FrameRecord }) {
  const text = preview(frame.message)
  return (
    <tr data-direction={frame.direction}>
      <td style={styles.td}>{clock(frame.at)}</td>
      <td style={{ ...styles.td, ...styles[frame.direction] }}>{ARROWS[frame.direction]}</td>
      <td style={styles.td}>{frame.connection}</td>
      <td style={styles.td}>{frame.bytes || ''}</td>
      <td style={{ ...styles.td, whiteSpace: 'normal' }}>
        <pre style={styles.pre}>{text.length > 400 ? `${text.slice(0, 400)}…` : text}</pre>
      </td>
    </tr>
  )
}
