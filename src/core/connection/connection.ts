import type { ConnectionConfig } from '../config'
import { createAttemptEvents } from './attempt-events'
import { createAttemptFailure } from './attempt-failure'
import { sendAppMessage } from './app-messages'
import { copyInfo, createConnectionCore, type ConnectionDeps } from './connection-core'
import { createLifecycleCommands } from './lifecycle-commands'
import { createConnectionReader, type EndSocket } from './reader-wiring'
import { createReconnectSchedule } from './reconnect-schedule'
import { createSocketOpening } from './socket-opening'
import { createSocketSlot } from './socket-slot'
import type { Connection, ConnectionCallbacks } from './types'
import { createWantedSymbols, deliveryFor } from './wanted-symbols'

/**
 * Creates one connection: the life of its socket (state machine, heartbeat, backoff, fallback
 * decision, outbound queue, statistics), as PROTOCOL.md sections 1 to 4 and 6 say. It applies
 * `DEFAULTS` itself; see `ConnectionConfig` for every option and its default.
 *
 * It adapts to its transport's capabilities (symbols in frames or in the URL, one-way or not)
 * and acts on the outcomes its protocol adapter classifies; it reads no close code and knows
 * no transport by name. It starts at once unless `config.lazy`, `config.enabled === false` or
 * `deps.autoStart === false`. Nothing global is touched before it starts.
 *
 * A transport that carries symbols in its URL opens no socket while nothing is wanted: the
 * status is then `idle` with reason `no_symbols`, without a reconnect or a fallback.
 *
 * This function only wires the parts, which share one state record (connection-core.ts).
 * docs/ARCHITECTURE.md names each part.
 */
export function createConnection(
  name: string,
  config: ConnectionConfig,
  callbacks: ConnectionCallbacks,
  deps: ConnectionDeps,
): Connection {
  const core = createConnectionCore(name, config, callbacks, deps)
  // The parts call each other in a loop: a socket's end schedules an attempt that opens a
  // socket again, and the reader (which the slot tells of every new socket) can end a socket.
  // These three arrows close the loop; they call parts made further down.
  const open = (): void => opening.open()
  const attemptNow = (): void => opening.attemptNow()
  const endSocket: EndSocket = (...end) => failure.ended(...end)
  const delivery = deliveryFor(core, open)
  const reader = createConnectionReader(core, endSocket)
  const slot = createSocketSlot(core, reader, delivery)
  const failure = createAttemptFailure(core, slot, createReconnectSchedule(core, attemptNow))
  const events = createAttemptEvents(core, reader, delivery, failure)
  const opening = createSocketOpening(core, slot, delivery, events)
  const wantedSymbols = createWantedSymbols(core, delivery, opening)
  const lifecycle = createLifecycleCommands(core, { slot, opening, delivery, wantedSymbols })

  const connection: Connection = {
    name,
    ...lifecycle,
    setWanted: wantedSymbols.setWanted,
    resync: wantedSymbols.resync,
    send: (message) => sendAppMessage(core, message),
    getInfo: () => copyInfo(core),
  }
  if (deps.autoStart && !core.cfg.lazy) lifecycle.start()
  return connection
}
