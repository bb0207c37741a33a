/**
 * The socket of the moment of one connection (`ConnectionCore.socket`): letting it go, and
 * deciding that it is healthy.
 */
import { DEFAULTS } from '../config'
import type { WantedDelivery } from '../transports/url-symbols'
import { clearTimer, type ConnectionCore } from './connection-core'
import type { InboundReader } from './inbound'

/** Lets go of the socket of the moment. */
export interface SocketSlot {
  /**
   * Forgets the current socket without any callback from it, and closes it with `code` and
   * `reason`; unsent application frames go back to the offline queue.
   */
  drop(code?: number, reason?: string): void
}

/**
 * Creates the slot. The reader and the delivery are told of each new generation, so neither
 * acts on a socket that is gone: the reader ignores the rest of a frame that ended its socket,
 * and the delivery cancels a reopen that was waiting for it.
 */
export function createSocketSlot(
  core: ConnectionCore,
  reader: Pick<InboundReader, 'socketChanged'>,
  delivery: Pick<WantedDelivery, 'cancel'>,
): SocketSlot {
  const { socket, info } = core
  return {
    drop(code, reason) {
      socket.healthTimer = clearTimer(core, socket.healthTimer)
      socket.generation += 1
      reader.socketChanged(socket.generation)
      if (socket.session) info.stats.dropped += core.offlineQueue.prepend(socket.session.close())
      socket.session = null
      const attempt = socket.attempt
      socket.attempt = null
      delete info.stats.connectedAt
      delivery.cancel()
      attempt?.close(code, reason)
    },
  }
}

/**
 * The open socket carried data or a pong, or stayed open `DEFAULTS.healthyAfterMs`: the
 * backoff and refused tokens are forgiven (retry-policy.ts says why not at open).
 */
export function markHealthy(core: ConnectionCore): void {
  const { socket } = core
  if (socket.healthy || socket.session === null) return
  socket.healthy = true
  socket.healthTimer = clearTimer(core, socket.healthTimer)
  core.retry.healthy()
}

/** A socket just opened: not healthy yet, and healthy once it stays open a while even if quiet. */
export function startHealthTimer(core: ConnectionCore): void {
  core.socket.healthy = false
  core.socket.healthTimer = core.timers.setTimeout(() => markHealthy(core), DEFAULTS.healthyAfterMs)
}
