const hasOwn = Object.prototype.hasOwnProperty

/**
 * Copies the own keys of `source` onto `target` (a null-prototype object), except
 * `__proto__`, `constructor` and `prototype`: writing them could reach or replace a
 * prototype (PROTOCOL.md 3.3). The rest of the message is still applied.
 */
export function safeAssign(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key in source) {
    // Plain comparisons rather than a Set lookup: this runs for every key of every delta.
    if (
      key === '__proto__' ||
      key === 'constructor' ||
      key === 'prototype' ||
      !hasOwn.call(source, key)
    )
      continue
    target[key] = source[key]
  }
}

/**
 * An empty object with a null prototype, like `Object.create(null)`, but one V8 keeps in its
 * fast (shape-based) mode: `Object.create(null)` makes a hash-table object on purpose, and
 * price data is written per delta and copied per shown tick, which a hash table makes two to
 * three times slower. The few keys price data holds share one shape across symbols.
 */
export function emptyData(): Record<string, unknown> {
  return Object.setPrototypeOf({}, null) as Record<string, unknown>
}

/** A null-prototype copy of the own, allowed keys of `source`. */
export function safeCopy(source: Record<string, unknown>): Record<string, unknown> {
  const out = emptyData()
  safeAssign(out, source)
  return out
}
