import type { WebSocketConstructor } from '../core'
import { decodeFrame } from './frameDecode'
import { maskSecrets } from './mask'
import { createRingBuffer } from './ringBuffer'
import { tapWebSocket } from './tappedWebSocket'

/** Which way a frame went; `event` is a socket's life (opened, closed, failed). */
export type FrameDirection = 'in' | 'out' | 'event'

/** One recorded frame, decoded and with secrets masked. */
export interface FrameRecord {
  /** Increasing over the recorder's life; a stable React key. */
  id: number
  /** When it was recorded (ms since epoch). */
  at: number
  direction: FrameDirection
  /** The connection's name, or the socket's URL (masked) when recorded by {@link FrameRecorder.tap}. */
  connection: string
  /** Size on the wire: string length of text frames, byte length of binary ones; 0 for events. */
  bytes: number
  /** `text` (JSON), `binary` (MessagePack), or `event`. */
  encoding: 'text' | 'binary' | 'event'
  /** The decoded message with secrets masked, or a short description when it cannot be decoded. */
  message: unknown
}

/** A frame to record, as a tap or the manager's frame hook hands it over. */
export type FrameInput = Omit<FrameRecord, 'id' | 'at' | 'message'> & {
  at?: number
  message: unknown
}

/** Options of {@link createFrameRecorder}. */
export interface FrameRecorderOptions {
  /** Frames kept; older ones are overwritten. @defaultValue 300 */
  capacity?: number
  /** Frames larger than this are recorded by size only, not decoded. @defaultValue 65536 */
  maxDecodeBytes?: number
  /** Clock (tests). @defaultValue Date.now */
  now?: () => number
}

/**
 * The last few hundred frames in and out of the stream, for `<StreamDevtools frames={…} />`.
 * Recording starts at creation; `paused` stops it without losing what is held.
 */
export interface FrameRecorder {
  readonly capacity: number
  /**
   * Wraps a WebSocket constructor so every frame its sockets send and receive is recorded.
   * Pass the result as the connection's `WebSocket`. The sockets behave exactly as the
   * wrapped ones; only a copy of each frame is decoded and kept.
   * @param WebSocket - The constructor to wrap. @defaultValue globalThis.WebSocket
   */
  tap(WebSocket?: WebSocketConstructor): WebSocketConstructor
  /** Records one decoded message (for a custom transport); masks its secrets. */
  record(frame: FrameInput): void
  /**
   * Records one frame as it travelled: text (JSON) or binary (MessagePack) data is decoded and
   * its secrets masked; `null` stands for an `auth` frame the connection withheld; for
   * `event`, `data` is the text to show.
   */
  recordFrame(connection: string, direction: FrameDirection, data: unknown, at?: number): void
  /** The frames held, oldest first. */
  entries(): FrameRecord[]
  /** Frames recorded over the recorder's life, the overwritten ones included. */
  readonly total: number
  /** While true, nothing new is recorded. */
  readonly paused: boolean
  /** Pauses or resumes recording; what is held stays. */
  setPaused(paused: boolean): void
  clear(): void
  /** Called after every change (new frame, clear, pause); returns the undo. */
  subscribe(listener: () => void): () => void
  /** Changes with every recorded frame, clear or pause: a `useSyncExternalStore` snapshot. */
  getVersion(): number
}

/** What the panel shows for an `auth` frame that the manager's hook withheld. */
export const AUTH_HIDDEN = '<auth frame: token hidden>'

/**
 * Creates a frame recorder.
 *
 * @example
 * ```tsx
 * const frames = createFrameRecorder()
 * <StreamProvider config={{ url, WebSocket: frames.tap() }}>
 *   <App />
 *   <StreamDevtools frames={frames} />
 * </StreamProvider>
 * ```
 */
export function createFrameRecorder(options: FrameRecorderOptions = {}): FrameRecorder {
  const buffer = createRingBuffer<FrameRecord>(options.capacity ?? 300)
  const maxDecodeBytes = options.maxDecodeBytes ?? 65_536
  const now = options.now ?? Date.now
  const listeners = new Set<() => void>()
  let nextId = 1
  let version = 0
  let paused = false

  const changed = () => {
    version += 1
    for (const listener of listeners) listener()
  }

  const recorder: FrameRecorder = {
    capacity: buffer.capacity,
    get total() {
      return buffer.total
    },
    get paused() {
      return paused
    },
    setPaused(value) {
      if (paused === value) return
      paused = value
      changed()
    },
    record(frame) {
      if (paused) return
      buffer.push({
        ...frame,
        id: nextId++,
        at: frame.at ?? now(),
        message: maskSecrets(frame.message),
      })
      changed()
    },
    recordFrame(connection, direction, data, at) {
      if (paused) return
      const decoded =
        direction === 'event'
          ? { bytes: 0, encoding: 'event' as const, message: data }
          : data === null
            ? { bytes: 0, encoding: 'text' as const, message: AUTH_HIDDEN }
            : decodeFrame(data, maxDecodeBytes)
      buffer.push({ id: nextId++, at: at ?? now(), direction, connection, ...decoded })
      changed()
    },
    entries: () => buffer.toArray(),
    clear() {
      buffer.clear()
      changed()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    getVersion: () => version,
    tap: (WebSocket) =>
      tapWebSocket(WebSocket, (connection, direction, data) =>
        recorder.recordFrame(connection, direction, data),
      ),
  }
  return recorder
}
