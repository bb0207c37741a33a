import type { CSSProperties } from 'react'

/**
 * The panel's look, inline: a development tool should work when dropped in, without a
 * stylesheet import. Every element also has a `tw-devtools__…` class for overrides.
 */
const mono = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace'

export const styles = {
  root: {
    font: `12px/1.4 ${mono}`,
    color: '#e6e6e6',
    background: '#1b1d23',
    border: '1px solid #3a3f4b',
    borderRadius: 6,
    boxShadow: '0 6px 24px rgba(0,0,0,.35)',
    display: 'flex',
    flexDirection: 'column',
    width: 'min(720px, calc(100vw - 24px))',
    maxHeight: 'min(480px, calc(100vh - 24px))',
    overflow: 'hidden',
    zIndex: 2147483000,
  },
  floating: { position: 'fixed', bottom: 12 },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    padding: '6px 8px',
    borderBottom: '1px solid #3a3f4b',
  },
  title: { fontWeight: 700 },
  // Pushes the tabs and Close to the right edge.
  engine: { color: '#9aa3b2', marginRight: 'auto' },
  tab: {
    font: 'inherit',
    color: '#c8c8c8',
    background: 'transparent',
    // Longhands: the active tab changes only the colour, and React warns when a shorthand
    // and its longhand meet on one element across renders.
    borderWidth: 1,
    borderStyle: 'solid',
    borderColor: 'transparent',
    borderRadius: 4,
    padding: '2px 8px',
    cursor: 'pointer',
  },
  tabActive: { color: '#fff', borderColor: '#5b6475', background: '#2a2e37' },
  button: {
    font: 'inherit',
    color: '#e6e6e6',
    background: '#2a2e37',
    border: '1px solid #5b6475',
    borderRadius: 4,
    padding: '2px 8px',
    cursor: 'pointer',
  },
  toggle: {
    font: `12px ${mono}`,
    color: '#fff',
    background: '#1b1d23',
    border: '1px solid #5b6475',
    borderRadius: 14,
    padding: '4px 10px',
    cursor: 'pointer',
    zIndex: 2147483000,
  },
  body: { overflow: 'auto', padding: 8 },
  table: { borderCollapse: 'collapse', width: '100%' },
  th: {
    textAlign: 'left',
    fontWeight: 600,
    color: '#9aa3b2',
    padding: '2px 6px',
    borderBottom: '1px solid #3a3f4b',
    position: 'sticky',
    top: 0,
    background: '#1b1d23',
  },
  td: {
    padding: '2px 6px',
    borderBottom: '1px solid #262a33',
    verticalAlign: 'top',
    whiteSpace: 'nowrap',
  },
  note: { color: '#9aa3b2', margin: '4px 0' },
  section: { marginBottom: 12 },
  stats: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: '2px 12px',
    margin: '4px 0',
  },
  pre: { margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxWidth: 460 },
  in: { color: '#7cc4ff' },
  out: { color: '#ffcf70' },
  event: { color: '#b9a2ff' },
  stale: { color: '#ff9b7a' },
} satisfies Record<string, CSSProperties>

/** Colour of a status name in the panel. */
export function statusColor(status: string): string {
  switch (status) {
    case 'open':
      return '#6fdc8c'
    case 'connecting':
    case 'idle':
      return '#c8c8c8'
    case 'reconnecting':
    case 'fallback':
      return '#ffcf70'
    default:
      return '#ff7a7a'
  }
}
