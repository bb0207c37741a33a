/**
 * Resyncs asked for during one task, sent together in one microtask: the gaps of one batch
 * frame go out as one resync frame per connection, not one frame per symbol.
 */
export interface ResyncQueue {
  /** Asks for a fresh snapshot of `symbol` on `connection`, at the end of this task. */
  queue(connection: string, symbol: string): void
  /** Drops what is pending; nothing is sent afterwards. */
  destroy(): void
}

/** Creates the queue; `send` gets each connection's symbols once per task. */
export function createResyncQueue(
  send: (connection: string, symbols: string[]) => void,
): ResyncQueue {
  const pending = new Map<string, string[]>()
  let queued = false
  let destroyed = false

  function flush(): void {
    queued = false
    if (destroyed) return
    for (const [connection, symbols] of pending) send(connection, symbols)
    pending.clear()
  }

  return {
    queue(connection, symbol) {
      const list = pending.get(connection)
      if (list) list.push(symbol)
      else pending.set(connection, [symbol])
      if (queued) return
      queued = true
      queueMicrotask(flush)
    },
    destroy() {
      destroyed = true
      pending.clear()
    },
  }
}
