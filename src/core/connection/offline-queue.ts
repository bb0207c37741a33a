/**
 * The frames `send()` is given while no socket is open: at most `max` (the connection's
 * `maxQueue`, default 1000), the oldest dropped first because the newest application
 * messages are the ones still worth sending when the socket comes back.
 */
export class BoundedQueue<T> {
  private items: T[] = []
  constructor(private readonly max: number) {}

  get size(): number {
    return this.items.length
  }

  /** Adds at the end; returns how many old items were dropped to make room. */
  push(item: T): number {
    this.items.push(item)
    return this.trim()
  }

  /** Puts items back at the front (frames a dropped socket never sent); returns how many were dropped. */
  prepend(items: readonly T[]): number {
    if (items.length === 0) return 0
    this.items = [...items, ...this.items]
    return this.trim()
  }

  /** Removes and returns everything, oldest first. */
  drain(): T[] {
    const out = this.items
    this.items = []
    return out
  }

  private trim(): number {
    const over = this.items.length - Math.max(0, this.max)
    if (over <= 0) return 0
    this.items.splice(0, over)
    return over
  }
}
