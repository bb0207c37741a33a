import type { Connection } from './types'

/**
 * What the manager keeps per connection that turning it on and off needs. The manager's own
 * slot satisfies it; the two flags below are the only state the switch adds.
 */
export interface SwitchableSlot {
  /** Whether the manager has started this connection (and not stopped it since). */
  started: boolean
  readonly connection: Pick<Connection, 'start' | 'reconnect' | 'disconnect'>
  /** Turned off at runtime (`setConnectionEnabled(name, false)`): it must not open. */
  disabled?: boolean
  /**
   * The switch closed it (`disconnect()`, which holds until `reconnect()`), so starting it
   * again must go through `reconnect()`: a plain `start()` would respect that hold.
   */
  closedBySwitch?: boolean
}

/**
 * Starts a slot's connection, unless it is switched off: then it is closed instead (status
 * `closed`, reason `manual`), so a UI shows a switched-off connection as closed rather than
 * as waiting to connect. Replaces the manager's plain `slot.started = true; connection.start()`.
 */
export function startSlot(slot: SwitchableSlot): void {
  if (slot.disabled === true) {
    if (slot.closedBySwitch !== true) {
      slot.closedBySwitch = true
      slot.connection.disconnect()
    }
    return
  }
  slot.started = true
  if (slot.closedBySwitch === true) {
    slot.closedBySwitch = false
    slot.connection.reconnect()
  } else {
    slot.connection.start()
  }
}

/**
 * Turns a connection off or on at runtime, idempotently: calling it again with the same value
 * does nothing, so every component that applies the user's settings may call it.
 *
 * Off closes the socket (and any REST fallback polling) and keeps it closed; subscriptions
 * are kept, so turning it back on resubscribes them. On starts it again when the manager
 * would run it now (`shouldRun`: the manager is started, and the connection is not lazy or
 * has symbols wanted); otherwise it starts when it is next needed.
 *
 * @param shouldRun - whether the manager would have this connection running now.
 */
export function setSlotEnabled(slot: SwitchableSlot, enabled: boolean, shouldRun: boolean): void {
  if ((slot.disabled === true) === !enabled) return
  slot.disabled = !enabled
  if (!enabled) {
    if (!slot.started) return
    slot.started = false
    slot.closedBySwitch = true
    slot.connection.disconnect()
    return
  }
  if (shouldRun) startSlot(slot)
}
