/** The application messages of one connection (`Connection.send`). */
import { changed, type ConnectionCore } from './connection-core'

/**
 * Sends on the open socket, or queues (bounded by `maxQueue`, the oldest dropped first) until
 * a socket opens. Nothing is sent after `destroy()`.
 */
export function sendAppMessage(core: ConnectionCore, message: unknown): void {
  if (core.destroyed) return
  const { session } = core.socket
  if (session) {
    session.send(message)
    // A frame held behind a rate limit or pacing shows in `queuedFrames`.
    if (session.queued > 0) core.callbacks.onInfoChange('counters')
    return
  }
  const dropped = core.offlineQueue.push(message)
  if (dropped === 0) return core.callbacks.onInfoChange('counters')
  core.info.stats.dropped += dropped
  changed(core)
}
