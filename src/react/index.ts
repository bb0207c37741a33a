'use client'
/**
 * tickwire's React layer: one provider and the hooks that read the stream. Everything here
 * is safe to import during server rendering: nothing runs at import time.
 */
export { StreamProvider } from './StreamProvider'
export type { StreamProviderProps } from './StreamProvider'
export { useStreamManager } from './context'
export { usePriceStream } from './usePriceStream'
export type { PriceStreamResult, UsePriceStreamOptions } from './usePriceStream'
export { usePrice } from './usePrice'
export type { UsePriceOptions } from './usePrice'
export { useStream } from './useStream'
export type { UseStreamResult } from './useStream'
export { useConnectionStatus } from './useConnectionStatus'
export { useStreamEvent } from './useStreamEvent'
export type { StreamEventHandler, StreamEventMeta, UseStreamEventOptions } from './useStreamEvent'
export { usePriceFlash } from './usePriceFlash'
export type { UsePriceFlashOptions } from './usePriceFlash'
export { useSymbolsKey } from './useSymbolsKey'
export { useStreamSettings, applyStreamSettings } from './useStreamSettings'
export type {
  ConnectionSetting,
  StreamSettingsResult,
  UseStreamSettingsOptions,
} from './useStreamSettings'
export {
  createStreamSettingsStore,
  defaultStreamSettings,
  migrateStreamSettings,
  sanitizeStreamSettings,
  MAX_THROTTLE_MS,
  STREAM_SETTINGS_KEY,
  STREAM_SETTINGS_VERSION,
} from './settingsStore'
export type {
  StreamSettings,
  StreamSettingsProblem,
  StreamSettingsStore,
  StreamSettingsStoreOptions,
} from './settingsStore'
export { usePriceSnapshot } from './usePriceSnapshot'
export type { PriceSnapshotResult, UsePriceSnapshotOptions } from './usePriceSnapshot'
export { useStatusChange } from './useStatusChange'
export type { StatusChange, StatusChangeHandler } from './useStatusChange'
export { useStreamSelector } from './useStreamSelector'
export { useStreamListener } from './useStreamListener'
export { usePriceListener } from './usePriceListener'
export type { PriceListener, UsePriceListenerOptions } from './usePriceListener'
