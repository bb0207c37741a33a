import { DEFAULTS, type StreamManagerConfig } from './config'
import { warnMixedContent } from './connection/mixed-content'
import { startSlot } from './connection/switch'
import { createControls } from './controls'
import { createManagerCommands } from './manager-commands'
import { createManagerRooms, type ManagerRooms } from './manager-rooms'
import { addSlot } from './manager-slot'
import { connectStoreDevtools } from './prices/store-devtools'
import { createRouter } from './routing'
import type { StreamManager } from './stream-manager'
import { createSubscribeApi } from './subscriptions/subscribe-api'

/**
 * The main-thread engine (`createStreamManager` without `engine`), wiring only: connection ->
 * prices/pipeline.ts -> one diff per frame -> `applyDiff`; see docs/ARCHITECTURE.md. The
 * rooms are built in manager-rooms.ts, the connections in manager-slot.ts.
 */
export function createMainThreadManager(config: StreamManagerConfig): StreamManager {
  const m = createManagerRooms(config)
  for (const [name, own] of Object.entries(m.configs)) addSlot(m, name, own)
  // Every connection is in the store from the first render, as `idle`.
  m.pipeline.flush()
  if (config.autoStart ?? true) goLive(m)

  const router = createRouter(m.slots)
  const { route } = router
  const destroyed = (): boolean => m.destroyed
  return {
    store: m.store,
    connectionNames: Object.keys(m.configs),
    start() {
      if (!m.destroyed && !m.started) goLive(m)
    },
    ...createSubscribeApi({
      subscriptions: m.subscriptions,
      route,
      pending: () => m.wantedSync.pending,
      destroyed,
    }),
    ...createControls({
      route,
      subscriptions: m.subscriptions,
      pipeline: m.pipeline,
      timers: m.timers,
      throttleMs: config.throttleMs ?? DEFAULTS.throttleMs,
      started: () => m.started,
      destroyed,
    }),
    ...createManagerCommands(m, router),
  }
}

/**
 * The first side effects come at start(), not at creation: a manager made in a render React
 * throws away (`autoStart: false`) connects no DevTools and warns nothing.
 */
function goLive(m: ManagerRooms): void {
  m.started = true
  m.disconnectDevtools = connectStoreDevtools(m.store, m.config.devtools)
  for (const [name, own] of Object.entries(m.configs)) warnMixedContent(name, own)
  for (const slot of m.slots.values())
    if (!slot.lazy || m.subscriptions.wanted(slot.name).length > 0) startSlot(slot)
}
