import type { StreamManager } from '../core/manager-api'

/**
 * The connection a hook reads when none is named: `default` when there is one, else the first
 * configured connection, the same rule the manager applies to `subscribe` without a name.
 */
export function resolveConnectionName(manager: StreamManager, connection: string | undefined): string {
  if (connection !== undefined) return connection
  const names = manager.connectionNames
  if (names.includes('default')) return 'default'
  return names[0] ?? 'default'
}
