/**
 * The shapes of the persisted stream settings store (settingsStore.ts): the settings, its
 * options, the problems it reports and its actions.
 */
import type { StoreApi } from 'zustand/vanilla'

/**
 * The stream settings a user controls, as they are persisted. Plain data only: it is written
 * to `localStorage` as JSON and read back in other tabs.
 */
export interface StreamSettings {
  /**
   * On or off per connection name. A connection not listed is on, so settings written for
   * one set of connections stay valid when the app adds another.
   */
  enabled: Record<string, boolean>
  /**
   * The per-symbol update interval the user chose, in ms (0 = every frame), or `null` for the
   * app's own `throttleMs`.
   */
  throttleMs: number | null
}

/** Why stored settings were ignored, passed to {@link StreamSettingsStoreOptions.onProblem}. */
export interface StreamSettingsProblem {
  /**
   * - `unreadable`: the storage threw (disabled cookies, a private mode's quota)
   * - `not_json`: the value is not JSON
   * - `foreign`: JSON that is not this store's envelope (another app wrote the key)
   * - `newer_version`: written by a newer version of the app, which this one cannot read
   * - `bad_fields`: the envelope is right but some fields were not valid and were dropped
   */
  code: 'unreadable' | 'not_json' | 'foreign' | 'newer_version' | 'bad_fields'
  message: string
}

/** Options of {@link createStreamSettingsStore}. */
export interface StreamSettingsStoreOptions {
  /** The storage key. Namespaced so another library's settings never collide. @defaultValue 'tickwire:settings' */
  name?: string
  /**
   * The storage to use, read lazily: never at import, never on the server.
   * @defaultValue `() => window.localStorage` (undefined where there is no window)
   */
  storage?: () => Storage | undefined
  /**
   * The window whose `storage` events keep tabs in step; each event for the key re-reads it.
   * @defaultValue `window` in browsers, none elsewhere
   */
  eventTarget?: Pick<Window, 'addEventListener' | 'removeEventListener'> | undefined
  /**
   * Told when stored data is ignored. The store falls back to its defaults (or keeps what it
   * had) and nothing throws. @defaultValue one `console.warn` per problem
   */
  onProblem?: (problem: StreamSettingsProblem) => void
}

/** A persisted settings store and its actions; see {@link createStreamSettingsStore}. */
export interface StreamSettingsStore {
  /** The zustand store holding {@link StreamSettings} (read with a selector or `getState`). */
  readonly store: StoreApi<StreamSettings>
  /** Turns a connection on or off; returns `false` (and changes nothing) for a bad name. */
  setEnabled(connection: string, enabled: boolean): boolean
  /**
   * Chooses the update interval: ms from 0 to {@link MAX_THROTTLE_MS}, or `null` for the
   * app's default; returns `false` (and changes nothing) for any other value.
   */
  setThrottle(ms: number | null): boolean
  /** Back to the defaults: every connection on, the app's throttle. */
  reset(): void
  /**
   * Reads the stored settings now and follows other tabs' changes until the returned undo is
   * called. Reference counted: the first call reads and listens, the last undo stops. Call it
   * from an effect, never during render (server rendering must not touch storage).
   */
  connect(): () => void
}
