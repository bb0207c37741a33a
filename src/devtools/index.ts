'use client'
/**
 * `tickwire/devtools`: a development panel for a running stream, in an entry of its own so an
 * app that does not import it ships none of it. Nothing runs at import time.
 *
 * @example
 * ```tsx
 * import { StreamDevtools, createFrameRecorder } from 'tickwire/devtools'
 * ```
 *
 * @packageDocumentation
 */
export { StreamDevtools } from './StreamDevtools'
export type { StreamDevtoolsProps } from './StreamDevtools'
export { AUTH_HIDDEN, createFrameRecorder } from './frameRecorder'
export type {
  FrameDirection,
  FrameInput,
  FrameRecord,
  FrameRecorder,
  FrameRecorderOptions,
} from './frameRecorder'
export { createRingBuffer } from './ringBuffer'
export type { RingBuffer } from './ringBuffer'
export { MASK, isSecretKey, maskSecrets, maskUrl } from './mask'
export { historyOf, inspectionOf } from './inspection'
export type {
  EngineInspection,
  HistoryLog,
  InspectedFrame,
  StatusRecord,
  StreamInspection,
  WantedEntry,
} from './inspection'
