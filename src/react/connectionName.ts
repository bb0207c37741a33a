import { defaultRoute } from '../core/routing'
import type { StreamManager } from '../core/stream-manager'

/**
 * The connection a hook reads when none is named: the one the manager routes unnamed
 * subscriptions to (`default`, or the only connection). `undefined` when there are several
 * and none is called `default`; the manager then refuses an unnamed subscribe, and the hooks
 * show the worst status across connections.
 */
export function resolveConnectionName(
  manager: StreamManager,
  connection: string | undefined,
): string | undefined {
  return connection ?? defaultRoute(manager.connectionNames)
}
