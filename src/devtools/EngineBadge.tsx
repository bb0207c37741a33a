import type { EngineInspection } from '../core'
import { styles } from './styles'

/** How the panel names an engine: `main thread`, `worker engine`, `shared engine · 3 tabs`. */
export function engineLabel(engine: EngineInspection): string {
  switch (engine.kind) {
    case 'main':
      return 'main thread'
    case 'worker':
      return 'worker engine'
    case 'shared':
      return `shared engine · ${engine.tabs} ${engine.tabs === 1 ? 'tab' : 'tabs'}`
  }
}

/**
 * Where the inspected manager's pipeline runs, for the panel's header. `data-engine` and
 * `data-tabs` carry the same facts for tests and styles. The engine tells every tab the count
 * when a tab joins or leaves, and the open panel re-reads it at each refresh (`refreshMs`).
 */
export function EngineBadge({ engine }: { engine: EngineInspection }) {
  return (
    <span
      className="tw-devtools__engine"
      style={styles.engine}
      data-engine={engine.kind}
      data-tabs={engine.tabs}
      title="Where the stream's connections and per-message work run"
    >
      {engineLabel(engine)}
    </span>
  )
}
