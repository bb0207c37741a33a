/**
 * The commands of the main-thread manager (main-thread.ts) that act on its connections and
 * rooms as a whole: reconnect, disconnect, send, listeners, devtools views, statistics, and
 * destroy.
 */
import { sumStats } from './connection/stats'
import type { ManagerRooms } from './manager-rooms'
import type { ManagerSlot } from './manager-slot'
import { applyDiff, emptyDiff } from './prices/diff'
import type { Router } from './routing'
import type { StreamManager } from './stream-manager'

/** The part of the manager made here. */
export type ManagerCommands = Pick<
  StreamManager,
  'reconnect' | 'disconnect' | 'send' | 'on' | 'inspect' | 'getStats' | 'destroy'
>

/** Creates the commands; `router` finds the slots a call is for. */
export function createManagerCommands(
  m: ManagerRooms,
  { route, targets }: Router<ManagerSlot>,
): ManagerCommands {
  const { events, inspector } = m
  return {
    reconnect(name) {
      if (m.destroyed) return
      for (const slot of targets(name)) {
        slot.started = true
        slot.closedBySwitch = false
        slot.connection.reconnect()
      }
    },
    disconnect(name) {
      if (!m.destroyed) for (const slot of targets(name)) slot.connection.disconnect()
    },
    send(message, options) {
      if (!m.destroyed) route(options).connection.send(message)
    },
    on: (event, listener) => (m.destroyed ? () => {} : events.on(event, listener)),
    inspect: () => inspector.view(),
    getStats: (name) => sumStats(targets(name).map((slot) => slot.connection.getInfo().stats)),
    destroy: () => destroyManager(m),
  }
}

/** Stops every room and connection; the store's last word is every connection as it ended. */
function destroyManager(m: ManagerRooms): void {
  if (m.destroyed) return
  m.destroyed = true
  m.subscriptions.destroy()
  m.wantedSync.destroy()
  m.fallback.destroy()
  m.pipeline.destroy()
  // The last word in the store: every connection as it ended (closed).
  const diff = emptyDiff()
  for (const slot of m.slots.values()) {
    slot.connection.destroy()
    diff.connections[slot.name] = slot.connection.getInfo()
  }
  applyDiff(m.store, diff)
  m.disconnectDevtools()
  m.events.clear()
  m.inspector.destroy()
}
