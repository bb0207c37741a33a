/**
 * What the browser's online, offline and focus signals (environment.ts) do to one started
 * connection.
 */
import { clearRetry, halted, setStatus, type ConnectionCore } from './connection-core'
import { watchEnvironment } from './environment'
import type { SocketOpening } from './socket-opening'

/** Listens for the connection; returns the undo, which `destroy()` calls. */
export function watchBrowserSignals(
  core: ConnectionCore,
  opening: Pick<SocketOpening, 'begin' | 'attemptNow'>,
): () => void {
  const { info } = core
  return watchEnvironment({
    onOffline() {
      // An open socket is left to the heartbeat: the browser's word alone does not close it.
      if (halted(core) || core.socket.session !== null) return
      const { status } = info
      if (status === 'reconnecting' || status === 'fallback' || status === 'connecting') {
        clearRetry(core)
        setStatus(core, 'offline', 'offline')
      }
    },
    onOnline() {
      if (halted(core) || info.status !== 'offline') return
      // Started while offline: this is the first connection, not a reconnect attempt.
      if (!core.attempted) return opening.begin()
      opening.attemptNow()
    },
    onFocus() {
      // A page that comes back to the foreground should not wait out a long backoff.
      if (core.retryTimer !== undefined && !halted(core)) opening.attemptNow()
    },
  })
}
