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
export { useStreamSelector } from './useStreamSelector'
export { useStreamListener } from './useStreamListener'
