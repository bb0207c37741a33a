import type { StreamManager } from '../core'

/** What every tab of the panel gets. */
export interface ViewProps {
  manager: StreamManager
  /** The time of the last refresh, for ages. */
  now: number
}

/** `12:34:56.789` local time. */
export function clock(at: number): string {
  const d = new Date(at)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** A short human age: `340 ms`, `12.5 s`, `3 min`. */
export function age(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`
  return `${Math.round(ms / 60_000)} min`
}

/** A frame or message as one line of text, whatever it holds. */
export function preview(message: unknown): string {
  if (typeof message === 'string') return message
  try {
    return JSON.stringify(message)
  } catch {
    return String(message)
  }
}
