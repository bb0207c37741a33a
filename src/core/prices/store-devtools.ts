import { devtools } from 'zustand/middleware'
import type { StoreApi } from 'zustand/vanilla'
import type { StreamState } from '../types'

/**
 * Settings of the opt-in Redux DevTools connection (`devtools` in the manager's config).
 * Every key is optional; `devtools: true` means all defaults.
 */
export interface StoreDevtoolsOptions {
  /** Instance name shown in the extension's instance list. @defaultValue 'tickwire' */
  name?: string
  /**
   * Frames the extension keeps. Each entry is a copy of the whole state, so this stays small.
   * @defaultValue 50
   */
  maxAge?: number
  /**
   * The extension batches actions sent within this many ms into one update, which keeps it
   * usable at hundreds of frames a second. @defaultValue 500
   */
  latency?: number
}

/** The `devtools` config value: `true` for the defaults, or the settings. */
export type StoreDevtoolsSetting = boolean | StoreDevtoolsOptions

/** The action type each frame's write shows under in the extension. */
export const DEVTOOLS_FRAME_ACTION = 'tickwire/frame'

/** What zustand's middleware adds to the store it wraps. */
type WithDevtoolsApi = StoreApi<StreamState> & { devtools?: { cleanup(): void } }

/**
 * Connects a stream store to the Redux DevTools browser extension through zustand's `devtools`
 * middleware, so each frame's write shows up as a `tickwire/frame` action with the whole
 * {@link StreamState} after it. Returns the undo, which the manager's `destroy()` calls.
 *
 * Opt-in and harmless elsewhere: with `setting` falsy, without the extension, during server
 * rendering or in Node (no `window`), nothing is patched and the undo does nothing.
 *
 * The middleware is applied to the existing store rather than at `createStore` time, so the
 * store factory and its callers stay as they are: the middleware wraps the `setState` it is
 * given and installs the wrapper on the store object, which is the one the manager writes
 * through. Jumping to an old state in the extension writes that state into the store; the next
 * frame's diff then applies on top of it, which is what a look at history needs and no more.
 *
 * @param store - The manager's store.
 * @param setting - The `devtools` config value. @defaultValue undefined (off)
 * @returns A function that disconnects the extension and restores the store's `setState`.
 *
 * @example
 * ```ts
 * const store = createStreamStore()
 * const disconnect = connectStoreDevtools(store, config.devtools)
 * // …on destroy:
 * disconnect()
 * ```
 */
export function connectStoreDevtools(
  store: StoreApi<StreamState>,
  setting: StoreDevtoolsSetting | undefined,
): () => void {
  if (!setting) return noop
  const options = setting === true ? {} : setting
  const api: WithDevtoolsApi = store
  const originalSetState = store.setState
  // The initializer returns the state the store already holds: the middleware sends it as the
  // extension's initial state and changes nothing else.
  const initialize = devtools<StreamState>(() => store.getState(), {
    name: options.name ?? 'tickwire',
    maxAge: options.maxAge ?? 50,
    latency: options.latency ?? 500,
    // `enabled` stops the middleware from guessing from the build mode: the user asked for it.
    enabled: true,
    // Otherwise the middleware parses a stack trace on every write to name the action.
    anonymousActionType: DEVTOOLS_FRAME_ACTION,
  })
  initialize(originalSetState, store.getState, api)
  if (api.setState === originalSetState) return noop // no extension: the middleware did nothing
  return () => {
    api.devtools?.cleanup()
    store.setState = originalSetState
  }
}

function noop(): void {}
