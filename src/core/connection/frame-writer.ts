/**
 * Writing one message on an open socket (socket-session.ts): encode, send, and count it, or
 * report why it could not go.
 */
import type { Codec, Frame } from '../codecs/types'
import type { Transport } from '../transports/types'
import { frameSize } from './read-frame'
import type { SocketSessionOptions } from './socket-session'

/** Writes the messages of one socket. */
export interface FrameWriter {
  write(message: unknown): void
  /** This socket's `auth` message: its frame is never handed to a frame listener (devtools). */
  setAuth(message: unknown): void
}

/** Creates the writer of one socket, with the encoder its subprotocol chose. */
export function createFrameWriter(
  encoder: Codec,
  transport: Transport,
  report: Pick<SocketSessionOptions, 'onWritten' | 'onWriteError'>,
): FrameWriter {
  let authMessage: unknown
  return {
    write(message) {
      let frame: Frame
      try {
        frame = encoder.encode(message)
      } catch (err) {
        return report.onWriteError(
          `cannot encode an outbound message: ${(err as Error).message}`,
          false,
        )
      }
      try {
        transport.send(frame)
      } catch {
        return report.onWriteError('send failed', true)
      }
      report.onWritten(frameSize(frame), message === authMessage ? null : frame)
    },
    setAuth(message) {
      authMessage = message
    },
  }
}
