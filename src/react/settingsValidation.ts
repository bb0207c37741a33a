import type { StreamSettings } from './settingsTypes'

/** The longest update interval a user may choose: slower than once a minute is not live. */
export const MAX_THROTTLE_MS = 60_000
/** Connections kept from storage at most: more is not settings, it is junk. */
const MAX_CONNECTIONS = 64
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** The defaults: every connection on, the app's own throttle. */
export function defaultStreamSettings(): StreamSettings {
  return { enabled: {}, throttleMs: null }
}

/** A plain object (not an array, not a class instance): what stored JSON may hold. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** A name a connection may have in stored settings: not empty, not too long, not a prototype key. */
export function isConnectionName(name: string): boolean {
  return name.length > 0 && name.length <= 200 && !FORBIDDEN.has(name)
}

/** A throttle a user may choose: a finite number of ms from 0 to {@link MAX_THROTTLE_MS}. */
export function isThrottle(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_THROTTLE_MS
}

/**
 * Checks untrusted stored settings and copies what is valid into fresh objects: unknown
 * fields, connection names such as `__proto__` and values of the wrong type are dropped.
 * Returns the clean settings and the names of the fields that were not valid.
 */
export function sanitizeStreamSettings(raw: unknown): {
  settings: StreamSettings
  dropped: string[]
} {
  const settings = defaultStreamSettings()
  const dropped: string[] = []
  if (!isRecord(raw)) return { settings, dropped: ['state'] }
  const enabled = raw['enabled']
  if (isRecord(enabled)) {
    const entries: [string, boolean][] = []
    for (const name of Object.keys(enabled)) {
      const value = enabled[name]
      if (isConnectionName(name) && typeof value === 'boolean' && entries.length < MAX_CONNECTIONS)
        entries.push([name, value])
      else dropped.push(`enabled.${name.slice(0, 40)}`)
    }
    // Object.fromEntries defines own properties: no name can reach a prototype.
    settings.enabled = Object.fromEntries(entries)
  } else if (enabled !== undefined) {
    dropped.push('enabled')
  }
  const throttle = raw['throttleMs']
  if (throttle === null || isThrottle(throttle)) settings.throttleMs = throttle
  else if (throttle !== undefined) dropped.push('throttleMs')
  return { settings, dropped }
}

/**
 * Brings settings stored by an older version to the current shape. Version 1 is the first
 * shape, so there is no step yet: older data (version 0 is zustand's default when none is
 * given) keeps the fields that are still valid. A version 2 adds its step here.
 */
export function migrateStreamSettings(persisted: unknown, version: number): StreamSettings {
  void version
  return sanitizeStreamSettings(persisted).settings
}
