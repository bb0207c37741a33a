/**
 * The commands that start and stop one connection: `start`, `reconnect`, `disconnect` and
 * `destroy` of `Connection`.
 */
import type { WantedDelivery } from '../transports/url-symbols'
import { watchBrowserSignals } from './browser-signals'
import { clearRetry, halted, setStatus, type ConnectionCore } from './connection-core'
import type { SocketOpening } from './socket-opening'
import type { SocketSlot } from './socket-slot'
import type { Connection } from './types'
import type { WantedSymbols } from './wanted-symbols'

/** The lifecycle part of a `Connection`. */
export type LifecycleCommands = Pick<Connection, 'start' | 'reconnect' | 'disconnect' | 'destroy'>

/** What the commands act through. */
export interface LifecycleParts {
  slot: SocketSlot
  opening: SocketOpening
  delivery: WantedDelivery
  wantedSymbols: Pick<WantedSymbols, 'stop'>
}

/** Creates the commands of one connection. */
export function createLifecycleCommands(
  core: ConnectionCore,
  parts: LifecycleParts,
): LifecycleCommands {
  const { slot, opening } = parts
  const { cfg, info } = core
  let unlisten: (() => void) | undefined

  function start(): void {
    if (core.started || halted(core) || !cfg.enabled) return
    core.started = true
    unlisten = watchBrowserSignals(core, opening)
    opening.begin()
  }

  return {
    start,
    reconnect() {
      if (core.destroyed || !cfg.enabled) return
      core.sticky = false
      // A manual reconnect is a fresh start: spent attempts and refused tokens are forgiven.
      info.attempt = 0
      core.retry.forgive()
      if (!core.started) return start()
      if (!parts.delivery.canOpen(core.held)) return opening.waitForSymbols()
      slot.drop(1000, 'reconnect')
      setStatus(core, info.fallback.active ? 'fallback' : 'reconnecting', 'manual')
      opening.attemptNow()
    },
    disconnect() {
      if (core.destroyed) return
      core.sticky = true
      clearRetry(core)
      slot.drop(1000, 'disconnect')
      setStatus(core, 'closed', 'manual')
    },
    destroy() {
      if (core.destroyed) return
      clearRetry(core)
      slot.drop(1000, 'destroy')
      core.destroyed = true
      parts.wantedSymbols.stop()
      unlisten?.()
      unlisten = undefined
      setStatus(core, 'closed', 'manual')
    },
  }
}
