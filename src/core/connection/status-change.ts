/** The status change of one connection (`setStatus` in connection-core.ts calls it). */
import type { ConnectionInfo, ConnectionStatus } from '../types'
import type { ConnectionCallbacks } from './types'

/**
 * Writes a new status and reason into `info`, signals the change, and emits a `status` event
 * when the status itself changed; returns whether status or reason changed.
 */
export function changeStatus(
  name: string,
  info: ConnectionInfo,
  callbacks: ConnectionCallbacks,
  newState: ConnectionStatus,
  reason: string | undefined,
): boolean {
  const oldState = info.status
  if (oldState === newState && info.reason === reason) return false
  info.status = newState
  if (reason === undefined) delete info.reason
  else info.reason = reason
  callbacks.onInfoChange()
  if (oldState !== newState) {
    const event = { connection: name, newState, oldState }
    callbacks.onStatus(reason === undefined ? event : { ...event, reason })
  }
  return true
}
