import { persist, type PersistStorage, type StorageValue } from 'zustand/middleware'
import { createStore } from 'zustand/vanilla'
import type {
  StreamSettings,
  StreamSettingsProblem,
  StreamSettingsStore,
  StreamSettingsStoreOptions,
} from './settingsTypes'

export type {
  StreamSettings,
  StreamSettingsProblem,
  StreamSettingsStore,
  StreamSettingsStoreOptions,
} from './settingsTypes'

/** The default storage key. */
export const STREAM_SETTINGS_KEY = 'tickwire:settings'
/** Version of the stored shape; bump it with a step in {@link migrateStreamSettings}. */
export const STREAM_SETTINGS_VERSION = 1
/** The longest update interval a user may choose: slower than once a minute is not live. */
export const MAX_THROTTLE_MS = 60_000
/** Connections kept from storage at most: more is not settings, it is junk. */
const MAX_CONNECTIONS = 64
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])

/** The defaults: every connection on, the app's own throttle. */
export function defaultStreamSettings(): StreamSettings {
  return { enabled: {}, throttleMs: null }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function isConnectionName(name: string): boolean {
  return name.length > 0 && name.length <= 200 && !FORBIDDEN.has(name)
}

function isThrottle(ms: unknown): ms is number {
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

/**
 * The storage adapter: JSON in a `Storage`, read lazily, and never throwing. A value that
 * cannot be this store's (not JSON, not the `{ state, version }` envelope, a newer version)
 * is reported and read as absent, so the defaults stand.
 *
 * @param report - called with the problem and the stored text it was found in.
 */
function settingsStorage(
  getStorage: () => Storage | undefined,
  report: (problem: StreamSettingsProblem, text: string | null) => void,
): PersistStorage<StreamSettings> & { lastRead(): string | null } {
  let lastRead: string | null = null
  const area = (): Storage | undefined => {
    try {
      return getStorage()
    } catch {
      return undefined
    }
  }
  return {
    lastRead: () => lastRead,
    getItem(name): StorageValue<StreamSettings> | null {
      let text: string | null
      try {
        text = area()?.getItem(name) ?? null
      } catch (error) {
        report({ code: 'unreadable', message: `cannot read "${name}": ${String(error)}` }, null)
        return null
      }
      lastRead = text
      if (text === null) return null
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        report({ code: 'not_json', message: `"${name}" in storage is not JSON; ignored` }, text)
        return null
      }
      const version = isRecord(parsed) ? parsed['version'] : undefined
      if (!isRecord(parsed) || typeof version !== 'number' || !Number.isInteger(version)) {
        report(
          { code: 'foreign', message: `"${name}" in storage is not tickwire settings; ignored` },
          text,
        )
        return null
      }
      if (version > STREAM_SETTINGS_VERSION) {
        report(
          {
            code: 'newer_version',
            message: `"${name}" was written by a newer version (${version}); ignored`,
          },
          text,
        )
        return null
      }
      // The state is checked in `merge` (and `migrate`), where persist hands it over.
      return { state: parsed['state'] as StreamSettings, version }
    },
    setItem(name, value) {
      try {
        area()?.setItem(name, JSON.stringify(value))
      } catch (error) {
        // A full or disabled storage: the setting still applies to this page.
        report({ code: 'unreadable', message: `cannot write "${name}": ${String(error)}` }, null)
      }
    },
    removeItem(name) {
      try {
        area()?.removeItem(name)
      } catch {
        // Nothing to undo: the value stays until the storage works again.
      }
    },
  }
}

function browserStorage(): Storage | undefined {
  return typeof window === 'undefined' ? undefined : window.localStorage
}

function browserWindow(): StreamSettingsStoreOptions['eventTarget'] {
  return typeof window === 'undefined' ? undefined : window
}

function warn(problem: StreamSettingsProblem): void {
  console.warn(`tickwire: stream settings: ${problem.message}`)
}

/**
 * Creates a store of {@link StreamSettings} persisted with zustand's `persist` middleware:
 * JSON in `localStorage` under a namespaced key, versioned (see {@link migrateStreamSettings}),
 * and kept in step across tabs (a `storage` event for the key re-reads it). Creating it touches
 * no storage: `connect()` reads it, from an effect, so server rendering and hydration see the
 * defaults and markup matches. Bad stored data is reported once and ignored.
 *
 * @example
 * ```ts
 * const settings = createStreamSettingsStore({ name: 'my-app:stream' })
 * const undo = settings.connect() // in an effect
 * settings.setEnabled('orders', false)
 * settings.setThrottle(250)
 * ```
 */
export function createStreamSettingsStore(
  options: StreamSettingsStoreOptions = {},
): StreamSettingsStore {
  const name = options.name ?? STREAM_SETTINGS_KEY
  const onProblem = options.onProblem ?? warn
  // One report per bad stored value: StrictMode's second effect, a remounted panel or
  // another tab's event re-reading the same text must not repeat the warning.
  let reported: string | null = null
  const report = (problem: StreamSettingsProblem, text: string | null): void => {
    if (text !== null && text === reported) return
    reported = text
    onProblem(problem)
  }
  const storage = settingsStorage(options.storage ?? browserStorage, report)
  const store = createStore<StreamSettings>()(
    persist(defaultStreamSettings, {
      name,
      version: STREAM_SETTINGS_VERSION,
      storage,
      skipHydration: true,
      partialize: (state) => ({ enabled: state.enabled, throttleMs: state.throttleMs }),
      migrate: migrateStreamSettings,
      merge(persisted, current) {
        if (persisted === undefined) return current
        const { settings, dropped } = sanitizeStreamSettings(persisted)
        if (dropped.length > 0) {
          const fields = dropped.slice(0, 5).join(', ')
          report(
            { code: 'bad_fields', message: `"${name}" had invalid fields (${fields}); ignored` },
            storage.lastRead(),
          )
        }
        return settings
      },
    }),
  )

  let users = 0
  let stopListening: (() => void) | undefined

  function listen(): void {
    const target = 'eventTarget' in options ? options.eventTarget : browserWindow()
    if (!target) return
    const onStorage = (event: StorageEvent): void => {
      // `key` is null when another tab cleared the whole storage.
      if (event.key === name || event.key === null) void store.persist.rehydrate()
    }
    target.addEventListener('storage', onStorage)
    stopListening = () => target.removeEventListener('storage', onStorage)
  }

  return {
    store,
    setEnabled(connection, enabled) {
      if (!isConnectionName(connection) || typeof enabled !== 'boolean') return false
      const current = store.getState().enabled
      const has = Object.prototype.hasOwnProperty.call(current, connection)
      if ((has ? current[connection] : true) === enabled) return true
      const next = Object.fromEntries(Object.entries(current).filter(([key]) => key !== connection))
      // Only "off" needs remembering; "on" is the default, so the stored record stays small.
      if (!enabled) next[connection] = false
      store.setState({ enabled: next })
      return true
    },
    setThrottle(ms) {
      if (ms !== null && !isThrottle(ms)) return false
      if (store.getState().throttleMs !== ms) store.setState({ throttleMs: ms })
      return true
    },
    reset() {
      store.setState(defaultStreamSettings())
    },
    connect() {
      users += 1
      if (users === 1) {
        void store.persist.rehydrate()
        listen()
      }
      let done = false
      return () => {
        if (done) return
        done = true
        users -= 1
        if (users > 0) return
        stopListening?.()
        stopListening = undefined
      }
    },
  }
}
