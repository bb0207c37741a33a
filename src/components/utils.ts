import type { CSSProperties } from 'react'

/** Joins class names, skipping empty ones, so a user's `className` adds to ours. */
export function classNames(...names: (string | undefined | false)[]): string {
  return names.filter(Boolean).join(' ')
}

/**
 * Hides text visually but keeps it for screen readers. Inline rather than a class so the
 * components stay accessible without `tickwire/styles.css`.
 */
export const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
}
