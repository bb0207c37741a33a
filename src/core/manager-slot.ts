/**
 * The connections of the main-thread manager (main-thread.ts): one slot each, a connection
 * wired to its entrance into the price pipeline, and the wanted set handed to it.
 */
import { DEFAULTS, type ConnectionConfig } from './config'
import { createConnection } from './connection/connection'
import { startSlot, type SwitchableSlot } from './connection/switch'
import type { Connection, ConnectionCallbacks } from './connection/types'
import type { ManagerRooms } from './manager-rooms'
import type { PipelineInput } from './prices/pipeline'
import { isValidSymbol } from './protocols/tickwire'
import type { SymbolError } from './types'

/** One configured connection: the socket side and its entrance into the pipeline. */
export interface ManagerSlot extends SwitchableSlot {
  readonly name: string
  readonly connection: Connection
  readonly input: PipelineInput
  readonly lazy: boolean
  started: boolean
}

/** Creates the connection `name` (not started) and its slot, registered with the rooms. */
export function addSlot(m: ManagerRooms, name: string, own: ConnectionConfig): void {
  const input = m.pipeline.input(name)
  const { config, timers } = m
  const random = config.random ?? Math.random
  const connection: Connection = createConnection(name, own, callbacksFor(m, name, input), {
    timers,
    random,
    autoStart: false,
  })
  m.fallback.add(name, own)
  m.slots.set(name, { name, connection, input, lazy: own.lazy ?? DEFAULTS.lazy, started: false })
  input.connectionChanged()
}

/** What a connection's events do: data into the pipeline, the rest to listeners and devtools. */
function callbacksFor(m: ManagerRooms, name: string, input: PipelineInput): ConnectionCallbacks {
  const { events, inspector } = m
  return {
    onTick: input.tick,
    onData(event) {
      if (m.destroyed) return
      if (event.type === 'message')
        events.emit('message', { connection: name, message: event.message })
      else setSymbolErrors(m, name, event.symbols, { code: event.code, message: event.message })
    },
    onStatus(event) {
      if (m.destroyed) return
      inspector.status(event)
      // The slot exists: no status comes before the connection is started.
      const slot = m.slots.get(name)
      if (slot) m.fallback.follow(name, slot.connection.getInfo().fallback.active)
      input.connectionChanged()
      events.emit('status', event)
    },
    onError: (event) => void (m.destroyed || events.emit('error', event)),
    onInfoChange: (kind) => input.connectionChanged(kind),
    onFrame: (direction, frame) => inspector.frame(name, direction, frame),
  }
}

/**
 * Hands a connection its wanted set: what it holds, and what it may keep until released;
 * symbols with a standing error are left out. A lazy connection starts with its first symbol.
 */
export function handWanted(m: ManagerRooms, name: string): void {
  const slot = m.slots.get(name)
  if (!slot) return
  const { subscriptions, pipeline } = m
  const usable = (symbol: string) => !pipeline.hasError(symbol)
  const wanted = subscriptions.wanted(name).filter(usable)
  slot.input.outstanding(wanted)
  slot.connection.setWanted(wanted, subscriptions.held(name).filter(usable))
  m.fallback.setSymbols(name, wanted)
  if (m.started && !slot.started && wanted.length > 0) startSlot(slot)
}

/** Marks symbols of a connection failed (a server's refusal, a REST `unknown`). */
export function setSymbolErrors(
  m: ManagerRooms,
  name: string,
  symbols: readonly string[],
  error: SymbolError,
): void {
  const wanted = symbols.filter((s) => isValidSymbol(s) && m.subscriptions.isWanted(name, s))
  // At once, not at the end of the task: the connection has already forgotten these
  // symbols' subscriptions, and its wanted set must not bring them back.
  if (m.slots.get(name)?.input.symbolErrors(wanted, error)) m.wantedSync.now(name)
}
