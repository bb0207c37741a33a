import type {
  StreamSettingsProblem,
  StreamSettingsStore,
  StreamSettingsStoreOptions,
} from './settingsTypes'
import { browserStorage, createPersistedSettings } from './settingsPersistence'
import { defaultStreamSettings, isConnectionName, isThrottle } from './settingsValidation'

export type {
  StreamSettings,
  StreamSettingsProblem,
  StreamSettingsStore,
  StreamSettingsStoreOptions,
} from './settingsTypes'
export { STREAM_SETTINGS_VERSION } from './settingsPersistence'
export {
  MAX_THROTTLE_MS,
  defaultStreamSettings,
  migrateStreamSettings,
  sanitizeStreamSettings,
} from './settingsValidation'

/** The default storage key. */
export const STREAM_SETTINGS_KEY = 'tickwire:settings'

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
  const store = createPersistedSettings(name, options.storage ?? browserStorage, report)

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
