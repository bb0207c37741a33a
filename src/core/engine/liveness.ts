/**
 * Tab liveness through the Web Locks API: a tab holds a lock named after itself for as long as
 * it lives, and a host that waits for the same lock is granted it only when the tab is gone:
 * closed, navigated away or crashed, with or without a `pagehide` (see ./scopes.ts).
 */

/**
 * Takes the tab's lock and keeps it until the returned release is called. `onHeld(true)` runs
 * once the lock is held; `onHeld(false)` where Web Locks are missing (the host then cannot
 * tell a crashed tab, and relies on `destroy()`).
 */
export function holdTabLock(name: string, onHeld: (held: boolean) => void): () => void {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (!locks) {
    console.warn(
      'tickwire: Web Locks are unavailable here (not a secure context?), so the shared engine cannot tell when a tab closes or crashes: a tab that ends without destroy() keeps its symbols subscribed until every tab is gone. Serve the app over https or localhost.',
    )
    queueMicrotask(() => onHeld(false))
    return () => {}
  }
  let release: () => void = () => {}
  let released = false
  void locks.request(name, () => {
    if (released) return undefined
    onHeld(true)
    return new Promise<void>((resolve) => {
      release = resolve
    })
  })
  return () => {
    released = true
    release()
  }
}

/**
 * A unique id for a tab or a leadership. `crypto.randomUUID` exists only in secure contexts
 * (https, localhost); a page served over plain http on a LAN address still needs an id.
 */
export function uniqueId(): string {
  const random = globalThis.crypto as Crypto | undefined
  if (typeof random?.randomUUID === 'function') return random.randomUUID()
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`
}
