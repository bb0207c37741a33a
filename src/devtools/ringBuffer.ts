/**
 * A fixed-size log that keeps the newest entries: pushing into a full buffer overwrites the
 * oldest. The devtools keep frames in one, so a panel left open on a busy feed holds a few
 * hundred entries, not every frame since the page loaded.
 */
export interface RingBuffer<T> {
  readonly capacity: number
  /** Entries currently held (at most `capacity`). */
  readonly size: number
  /** Entries pushed over the buffer's life, the overwritten ones included. */
  readonly total: number
  push(entry: T): void
  /** The entries held, oldest first (a new array). */
  toArray(): T[]
  clear(): void
}

/**
 * Creates a ring buffer.
 * @param capacity - Entries kept; at least 1. @defaultValue 300
 */
export function createRingBuffer<T>(capacity = 300): RingBuffer<T> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`)
  const slots: (T | undefined)[] = new Array<T | undefined>(capacity)
  // `next` is where the next entry goes; `size` how many slots hold an entry.
  let next = 0
  let size = 0
  let total = 0
  return {
    capacity,
    get size() {
      return size
    },
    get total() {
      return total
    },
    push(entry) {
      slots[next] = entry
      next = (next + 1) % capacity
      if (size < capacity) size += 1
      total += 1
    },
    toArray() {
      const out: T[] = []
      const start = size < capacity ? 0 : next
      for (let i = 0; i < size; i++) out.push(slots[(start + i) % capacity] as T)
      return out
    },
    clear() {
      slots.fill(undefined)
      next = 0
      size = 0
    },
  }
}
