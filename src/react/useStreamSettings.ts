import { useEffect, useMemo } from 'react'
import type { StreamManager } from '../core/stream-manager'
import { useStreamManager } from './context'
import {
  createStreamSettingsStore,
  type StreamSettings,
  type StreamSettingsStore,
} from './settingsStore'
import { useStore } from 'zustand'

/** Options of {@link useStreamSettings}. */
export interface UseStreamSettingsOptions {
  /**
   * The settings store to use: `createStreamSettingsStore` makes one with your own key, or
   * separate settings per app on one origin. The page's store uses `tickwire:settings` and
   * is created at the first call. @defaultValue the page's store
   */
  store?: StreamSettingsStore
}

/** One connection as the settings show it. */
export interface ConnectionSetting {
  name: string
  enabled: boolean
}

/** What {@link useStreamSettings} returns. */
export interface StreamSettingsResult {
  /** Every connection of the manager, in its order, with whether the user has it on. */
  connections: readonly ConnectionSetting[]
  /** The update interval the user chose in ms, or `null` for the app's `throttleMs`. */
  throttleMs: number | null
  /** Turns a connection on or off; `false` when the name is not valid (nothing changes). */
  setEnabled(connection: string, enabled: boolean): boolean
  /** Chooses the update interval (0 to 60000 ms, or `null`); `false` for anything else. */
  setThrottle(ms: number | null): boolean
  /** Every connection on, the app's throttle. */
  reset(): void
}

let pageStore: StreamSettingsStore | undefined

/**
 * The page's settings store, created at the first use (never at import). On the server it
 * only ever holds the defaults: nothing writes it there (setters run from event handlers and
 * `connect()` from effects), so sharing it between requests shares nothing user-specific.
 */
function defaultStore(): StreamSettingsStore {
  pageStore ??= createStreamSettingsStore()
  return pageStore
}

const selectAll = (state: StreamSettings): StreamSettings => state

/**
 * Makes the manager follow the settings: each of its connections on or off, and the chosen
 * throttle (or its configured one for `null`). The manager's methods are idempotent, so every
 * mounted `useStreamSettings` may apply the same settings without a second socket.
 */
export function applyStreamSettings(manager: StreamManager, settings: StreamSettings): void {
  for (const name of manager.connectionNames) {
    const has = Object.prototype.hasOwnProperty.call(settings.enabled, name)
    manager.setConnectionEnabled(name, !has || settings.enabled[name] !== false)
  }
  manager.setThrottle(settings.throttleMs ?? undefined)
}

/**
 * Stream settings the user controls: each connection on or off, and the update rate. They
 * are persisted in `localStorage` (zustand `persist`, key `tickwire:settings`, versioned),
 * kept in step across the app's tabs, and applied to the running manager of the nearest
 * `StreamProvider` at once, without a remount: turning a connection off closes its socket,
 * turning it on reconnects and resubscribes.
 *
 * Settings apply while at least one component calling this hook is mounted, so call it
 * somewhere always mounted (next to your layout) as well as in the settings panel. Server
 * rendering and hydration show the defaults; the stored settings are read in an effect, which
 * runs before the provider starts the manager, so a connection the user turned off never
 * opens. Stored data that is corrupt or not ours is ignored with one warning.
 *
 * @example
 * ```tsx
 * function StreamSettingsPanel() {
 *   const { connections, throttleMs, setEnabled, setThrottle } = useStreamSettings()
 *   return (
 *     <fieldset>
 *       {connections.map(({ name, enabled }) => (
 *         <label key={name}>
 *           <input
 *             type="checkbox"
 *             checked={enabled}
 *             onChange={(event) => setEnabled(name, event.currentTarget.checked)}
 *           />
 *           {name}
 *         </label>
 *       ))}
 *       <select
 *         value={throttleMs ?? ''}
 *         onChange={(event) => {
 *           const value = event.currentTarget.value
 *           setThrottle(value === '' ? null : Number(value))
 *         }}
 *       >
 *         <option value="">Default</option>
 *         <option value="0">Every frame</option>
 *         <option value="1000">Once a second</option>
 *       </select>
 *     </fieldset>
 *   )
 * }
 * ```
 */
export function useStreamSettings(options: UseStreamSettingsOptions = {}): StreamSettingsResult {
  const manager = useStreamManager('useStreamSettings')
  const settings = options.store ?? defaultStore()
  const state = useStore(settings.store, selectAll)

  useEffect(() => {
    // Reads storage (synchronously for localStorage) before applying, so the first apply
    // already has the user's settings.
    const disconnect = settings.connect()
    applyStreamSettings(manager, settings.store.getState())
    const unsubscribe = settings.store.subscribe((next) => applyStreamSettings(manager, next))
    return () => {
      unsubscribe()
      disconnect()
    }
  }, [manager, settings])

  const connections = useMemo(
    () =>
      manager.connectionNames.map((name) => ({
        name,
        enabled:
          !Object.prototype.hasOwnProperty.call(state.enabled, name) ||
          state.enabled[name] !== false,
      })),
    [manager, state.enabled],
  )

  return useMemo(
    () => ({
      connections,
      throttleMs: state.throttleMs,
      setEnabled: settings.setEnabled,
      setThrottle: settings.setThrottle,
      reset: settings.reset,
    }),
    [connections, state.throttleMs, settings],
  )
}
