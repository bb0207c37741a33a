import { useEffect, useMemo, useState, useSyncExternalStore, type CSSProperties } from 'react'
import type { StreamManager } from '../core'
import { useStreamManager } from '../react'
import { createFrameRecorder, type FrameRecorder } from './frameRecorder'
import { historyOf, inspectionOf } from './inspection'
import { ConnectionsView } from './ConnectionsView'
import { DevtoolsHeader, type DevtoolsTab } from './DevtoolsHeader'
import { FramesView } from './FramesView'
import { styles } from './styles'
import { SymbolsView } from './SymbolsView'

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
  const [tab, setTab] = useState<DevtoolsTab>('connections')
  // A recorder of our own for the manager hook, made once; the `frames` prop wins.
  const [ownFrames] = useState(() => createFrameRecorder())
  // One inspection per manager: `inspect()` returns new views on every call, and the frame
  // listener below must not be re-registered on every render.
  const inspection = useMemo(() => inspectionOf(manager), [manager])
  const frames = props.frames ?? ownFrames
  const now = useRefresh(props.refreshMs ?? 500, open)

  // historyOf has no side effect; the subscription below starts its recording.
  const history = historyOf(manager)
  useSyncExternalStore(history.subscribe, history.getVersion, history.getVersion)
  useEffect(() => {
    if (props.frames) return
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
      <DevtoolsHeader
        tab={tab}
        onTab={setTab}
        engine={inspection.engine()}
        onClose={() => setOpen(false)}
      />
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
          <SymbolsView manager={manager} now={now} wanted={inspection.wanted()} />
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
