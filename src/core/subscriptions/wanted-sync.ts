/**
 * Hands wanted-set changes to the connections at the end of the task, so a page that mounts
 * 200 rows, each subscribing its own symbol, sends 2 subscribe frames, not 200.
 */
export interface WantedSync {
  /** Marks a connection's wanted set as changed; resolves once it was handed over. */
  queue(connection: string): Promise<void>
  /** The promise of the pending hand-over, if any (`subscribePrices` resolves with it). */
  readonly pending: Promise<void> | null
  /** Hands one connection's set over now (a symbol error must not wait for the task's end). */
  now(connection: string): void
  /** Nothing is handed over after this. */
  destroy(): void
}

/** Creates the batching; `sync(connection)` does the hand-over. */
export function createWantedSync(sync: (connection: string) => void): WantedSync {
  const dirty = new Set<string>()
  let pending: Promise<void> | null = null
  let destroyed = false
  return {
    queue(connection) {
      dirty.add(connection)
      pending ??= new Promise<void>((resolve) => {
        queueMicrotask(() => {
          pending = null
          const names = [...dirty]
          dirty.clear()
          if (!destroyed) for (const name of names) sync(name)
          resolve()
        })
      })
      return pending
    },
    get pending() {
      return pending
    },
    now(connection) {
      dirty.delete(connection)
      if (!destroyed) sync(connection)
    },
    destroy() {
      destroyed = true
      dirty.clear()
    },
  }
}
