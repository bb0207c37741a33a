/**
 * Masking of secrets in what the devtools show. Frames may carry an `auth` token (PROTOCOL.md)
 * and URLs a `?token=`; a panel that people screenshot into bug reports must never show them.
 */

/** The text shown instead of a secret. */
export const MASK = '••••'

/** Keys whose values are secrets, whatever the protocol: `token`, `accessToken`, `apiKey`, … */
const SECRET_KEY =
  /token|secret|password|passwd|auth(?!or)|api[-_]?key|signature|credential|cookie|session/i

/** Whether a key names a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key)
}

/**
 * A copy of `value` with the values of secret keys replaced by {@link MASK}, at any depth.
 * Arrays and plain objects are copied; other values are returned as they are. Cycles and
 * depths beyond 20 are cut (a frame is data, not a graph).
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return '…'
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1))
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a frame's `__proto__` key is data here, never a prototype change.
      Object.defineProperty(out, key, {
        value:
          isSecretKey(key) && item !== null && item !== undefined
            ? MASK
            : maskSecrets(item, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return out
  }
  if (typeof value === 'string') return maskUrl(value)
  return value
}

/** A URL (or any text) with the values of secret query parameters masked. */
export function maskUrl(text: string): string {
  return text.replace(/([?&;])([^=&#\s]+)=([^&#\s]*)/g, (whole, sep: string, key: string) =>
    isSecretKey(key) ? `${sep}${key}=${MASK}` : whole,
  )
}
