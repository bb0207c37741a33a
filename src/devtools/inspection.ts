import type { ConnectionStatus, StatusEvent, StreamManager } from '../core'

/**
 * The manager hook the devtools would use when the manager offers it (proposed as
 * `StreamManager.inspect()`; not part of the core yet). Everything is read-only, plain data,
 * and costs nothing until called: no frame is copied while nobody listens.
 */
export interface StreamInspection {
  /**
   * Reference counts per connection and symbol: all references, the part `subscribePrices`
   * added, and whether the last release is waiting for `unsubscribeDelayMs`.
   */
  wanted(): Record<string, Record<string, WantedEntry>>
  /**
   * Every frame in and out as it travels (text or bytes, not decoded: the listener decodes
   * what it shows). The `auth` frame is handed over as `null`, so its token never leaves the
   * connection. With no listener the connection does no extra work.
   */
  onFrame(listener: (frame: InspectedFrame) => void): () => void
  /** Status changes since the manager was created, oldest first (bounded per connection). */
  history(): readonly StatusRecord[]
}

/** One frame as the proposed `inspect().onFrame` hands it over. */
export interface InspectedFrame {
  connection: string
  direction: 'in' | 'out'
  /** When it was received or sent (ms since epoch, the manager's clock). */
  at: number
  /** The frame as on the wire; `null` for an `auth` frame. */
  frame: string | Uint8Array | null
}

/** One symbol's reference count on one connection. */
export interface WantedEntry {
  refs: number
  imperative: number
  pendingRelease: boolean
}

/** One recorded status change. */
export interface StatusRecord {
  at: number
  connection: string
  from: ConnectionStatus
  to: ConnectionStatus
  reason?: string
}

/** A manager that offers {@link StreamInspection} (the proposed `inspect()`). */
type InspectableManager = StreamManager & { inspect?: () => StreamInspection }

/** The manager's inspection hook, or `null` for a manager without one. */
export function inspectionOf(manager: StreamManager): StreamInspection | null {
  const inspect = (manager as InspectableManager).inspect
  return typeof inspect === 'function' ? inspect.call(manager) : null
}

/** Status changes kept per manager when the manager keeps none itself. */
const HISTORY_LIMIT = 200

/** A manager's status history as the devtools record it (from the first panel mount on). */
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
 * The status history of a manager: the manager's own (`inspect().history()`) when it keeps
 * one, else a log fed by `manager.on('status')` from its first subscriber on, seeded with each
 * connection's status at that moment so the panel never starts empty. Creating it has no
 * side effect; the same manager always gets the same log.
 */
export function historyOf(manager: StreamManager, now: () => number = Date.now): HistoryLog {
  const existing = logs.get(manager)
  if (existing) return existing
  const listeners = new Set<() => void>()
  let version = 0
  let records: StatusRecord[] = []
  let cleared = 0
  let started = false
  const inspection = inspectionOf(manager)
  const changed = () => {
    version += 1
    for (const listener of listeners) listener()
  }
  /**
   * At the first subscriber, not at creation: a render may call `historyOf`, and a render must
   * not subscribe. Once started the log listens for the manager's life (`destroy()` clears
   * the manager's listeners), so a panel closed and opened again has lost nothing.
   */
  function start(): void {
    if (started) return
    started = true
    if (!inspection) {
      for (const [connection, info] of Object.entries(manager.store.getState().connections)) {
        records.push({
          at: now(),
          connection,
          from: info.status,
          to: info.status,
          ...(info.reason ? { reason: info.reason } : {}),
        })
      }
    }
    manager.on('status', (event: StatusEvent) => {
      if (!inspection) {
        const record: StatusRecord = {
          at: now(),
          connection: event.connection,
          from: event.oldState,
          to: event.newState,
          ...(event.reason ? { reason: event.reason } : {}),
        }
        records = [...records, record].slice(-HISTORY_LIMIT)
      }
      changed()
    })
  }
  const log: HistoryLog = {
    entries: () => (inspection ? inspection.history().slice(cleared) : records),
    clear() {
      if (inspection) cleared = inspection.history().length
      records = []
      changed()
    },
    subscribe(listener) {
      start()
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
