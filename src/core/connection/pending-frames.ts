/**
 * The entries waiting in one socket's outbox (outbound-queue.ts), in order, with the count of
 * application frames among them; the outbox decides when the head may go.
 */

/**
 * One entry waiting on the open socket. `app` frames (from `send()`) go back to the offline
 * queue if the socket drops; a `later` entry is built only when its turn comes.
 */
type Pending =
  | { kind: 'frame'; message: unknown; app: boolean }
  | { kind: 'later'; key: string; make: () => unknown[] }

/** The ordered waiting list of one outbox. */
export class PendingFrames {
  private readonly queue: Pending[] = []
  private app = 0
  private readonly maxApp: number

  /**
   * @param maxPending - most application frames that may wait (the oldest go first); absent
   *   or negative: no bound.
   */
  constructor(maxPending: number | undefined) {
    this.maxApp = maxPending !== undefined && maxPending >= 0 ? maxPending : Infinity
  }

  /** Entries waiting (a `later` entry counts once). */
  get size(): number {
    return this.queue.length
  }

  /** Application frames waiting. */
  get appCount(): number {
    return this.app
  }

  /** Adds a frame at the end. */
  push(message: unknown, app: boolean): void {
    this.queue.push({ kind: 'frame', message, app })
    if (app) this.app += 1
  }

  /** Adds a `later` entry, unless one of the same `key` still waits; returns whether it added. */
  pushLater(key: string, make: () => unknown[]): boolean {
    if (this.queue.some((p) => p.kind === 'later' && p.key === key)) return false
    this.queue.push({ kind: 'later', key, make })
    return true
  }

  /**
   * If the head is a `later` entry, replaces it by the frames it builds now (so they say what
   * is true when they can go) and returns true.
   */
  buildHead(): boolean {
    const head = this.queue[0]
    if (head?.kind !== 'later') return false
    const frames = head.make().filter((m) => m !== null && m !== undefined)
    const built = frames.map((message): Pending => ({ kind: 'frame', message, app: false }))
    this.queue.splice(0, 1, ...built)
    return true
  }

  /** Removes the head frame (built, see {@link buildHead}) and returns its message. */
  shift(): unknown {
    const head = this.queue.shift() as Extract<Pending, { kind: 'frame' }>
    if (head.app) this.app -= 1
    return head.message
  }

  /** Drops the oldest application frames beyond `maxApp`; returns how many. */
  trim(): number {
    const dropped = this.app - this.maxApp
    if (dropped <= 0) return 0
    let over = dropped
    for (let i = 0; i < this.queue.length && over > 0;) {
      const entry = this.queue[i] as Pending
      if (entry.kind === 'frame' && entry.app) {
        this.queue.splice(i, 1)
        over -= 1
      } else {
        i += 1
      }
    }
    this.app -= dropped
    return dropped
  }

  /**
   * Empties the list; returns the application frames, oldest first. Unbuilt entries are
   * dropped: the next socket is sent the wanted set afresh.
   */
  clear(): unknown[] {
    const app = this.queue.flatMap((p) => (p.kind === 'frame' && p.app ? [p.message] : []))
    this.queue.length = 0
    this.app = 0
    return app
  }
}
