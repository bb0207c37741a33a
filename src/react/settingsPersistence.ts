import { persist, type PersistStorage, type StorageValue } from 'zustand/middleware'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { StreamSettings, StreamSettingsProblem } from './settingsTypes'
import {
  defaultStreamSettings,
  isRecord,
  migrateStreamSettings,
  sanitizeStreamSettings,
} from './settingsValidation'

/** Version of the stored shape; bump it with a step in {@link migrateStreamSettings}. */
export const STREAM_SETTINGS_VERSION = 1

/** Reports a problem with stored settings, with the stored text it was found in (or null). */
export type SettingsReport = (problem: StreamSettingsProblem, text: string | null) => void

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

/** The page's `localStorage`; none in server rendering. */
export function browserStorage(): Storage | undefined {
  return typeof window === 'undefined' ? undefined : window.localStorage
}

/**
 * The settings store with zustand's `persist` middleware over {@link settingsStorage}: versioned,
 * migrated by {@link migrateStreamSettings}, and never hydrated on creation (`skipHydration`:
 * the caller rehydrates from an effect). What storage holds is checked in `merge`, where
 * persist hands it over; invalid fields are reported once and dropped.
 */
export function createPersistedSettings(
  name: string,
  getStorage: () => Storage | undefined,
  report: SettingsReport,
): StoreApi<StreamSettings> & { persist: { rehydrate(): Promise<void> | void } } {
  const storage = settingsStorage(getStorage, report)
  return createStore<StreamSettings>()(
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
}
