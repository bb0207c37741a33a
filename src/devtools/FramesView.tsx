import { useReducer } from 'react'
import type { FrameRecord, FrameRecorder } from './frameRecorder'
import { styles } from './styles'
import { clock, preview } from './view'

/** The frames tab: the recorder's ring buffer, newest first, with pause and clear. */
export function FramesView({ frames, max }: { frames: FrameRecorder | undefined; max: number }) {
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
