import type { EngineInspection } from '../core'
import { EngineBadge } from './EngineBadge'
import { styles } from './styles'

/** The panel's views, in tab order. */
export const DEVTOOLS_TABS = ['connections', 'symbols', 'frames'] as const

/** One of the panel's views. */
export type DevtoolsTab = (typeof DEVTOOLS_TABS)[number]

/** Props of {@link DevtoolsHeader}. */
export interface DevtoolsHeaderProps {
  tab: DevtoolsTab
  onTab(tab: DevtoolsTab): void
  engine: EngineInspection
  onClose(): void
}

/** The open panel's header: the title, the engine that runs the stream, the tabs and Close. */
export function DevtoolsHeader({ tab, onTab, engine, onClose }: DevtoolsHeaderProps) {
  return (
    <header className="tw-devtools__header" style={styles.header}>
      <span style={styles.title}>tickwire</span>
      <EngineBadge engine={engine} />
      <div role="tablist" aria-label="Devtools views" style={{ display: 'flex', gap: 4 }}>
        {DEVTOOLS_TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            style={{ ...styles.tab, ...(tab === name ? styles.tabActive : {}) }}
            onClick={() => onTab(name)}
          >
            {name[0]?.toUpperCase() + name.slice(1)}
          </button>
        ))}
      </div>
      <button type="button" style={styles.button} aria-expanded onClick={onClose}>
        Close
      </button>
    </header>
  )
}
