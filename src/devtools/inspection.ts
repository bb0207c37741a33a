import type { StatusRecord, StreamInspection, StreamManager, WantedCount } from '../core'

export type { EngineInspection, InspectedFrame, StatusRecord, StreamInspection } from '../core'

/** One symbol's reference count on one connection (the core's `WantedCount`). */
export type WantedEntry = WantedCount

/** The manager's read-only inspection views (`manager.inspect()`). */
export function inspectionOf(manager: StreamManager): StreamInspection {
  return manager.inspect()
}

/** A manager's status history as the devtools show it (from the manager's creation on). */
export interface HistoryLog {
  entries(): readonly StatusRecord[]
  clear(): void
  subscribe(listener: () => void): () => void
  getVersion(): number
}

/**
 * One history log per manager, made at the first panel mount and kept for the manager's life,
 * so closing and reopening the panel loses nothing. A WeakMap: a destroyed, unreferenced
 * manager takes its log with it, and nothing here runs at import.
 */
const logs = new WeakMap<StreamManager, HistoryLog>()

/**
 * The status history of a manager, read from `inspect().history()` (bounded by the manager),
 * with the panel's Clear applied. Clear remembers the newest record it hid, not a count: the
 * manager's history is capped, so once full its length stops growing and a count would hide
 * every later record too. Creating the log has no side effect; it listens to `status` events
 * from its first subscriber on, and the same manager always gets the same log.
 */
export function historyOf(manager: StreamManager): HistoryLog {
  const existing = logs.get(manager)
  if (existing) return existing
  const listeners = new Set<() => void>()
  const inspection = inspectionOf(manager)
  let version = 0
  let started = false
  /** The newest record hidden by Clear; everything up to and including it is hidden. */
  let clearedThrough: StatusRecord | undefined
  const changed = () => {
    version += 1
    for (const listener of listeners) listener()
  }
  const log: HistoryLog = {
    entries() {
      const all = inspection.history()
      if (clearedThrough === undefined) return all
      // When the cleared record has aged out of the capped history, all that is left is newer.
      return all.slice(all.lastIndexOf(clearedThrough) + 1)
    },
    clear() {
      clearedThrough = inspection.history().at(-1) ?? clearedThrough
      changed()
    },
    subscribe(listener) {
      // At the first subscriber, not at creation: a render may call `historyOf`, and a render
      // must not subscribe. `destroy()` clears the manager's listeners.
      if (!started) {
        started = true
        manager.on('status', changed)
      }
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    getVersion: () => version,
  }
  logs.set(manager, log)
  return log
}
