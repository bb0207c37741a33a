/**
 * How the engine host (host.ts) carries out a tab's command on the one manager in the worker.
 * Holds and price references are recorded per tab, so a tab that leaves releases its own.
 */
import type { StreamManager } from '../index'
import { diffStates } from './diff'
import { countPrices, type HostClient } from './host-clients'
import type { HostFrames } from './host-frames'
import type { ClientMessage } from './messages'
import type { RemoteCalls } from './remote-calls'

/** A command: any tab message but the attach and detach, which the host handles itself. */
export type HostCommand = Exclude<ClientMessage, { type: 'attach' } | { type: 'detach' }>

/** Carries out one command of an attached tab. */
export function handleCommand(
  client: HostClient,
  message: HostCommand,
  current: StreamManager,
  frames: HostFrames,
  remote: RemoteCalls,
): void {
  switch (message.type) {
    case 'acquire':
      client.holds.set(
        message.hold,
        current.subscribe(message.symbols, { connection: message.connection }),
      )
      return
    case 'release':
      client.holds.get(message.hold)?.()
      client.holds.delete(message.hold)
      return
    case 'prices': {
      const { id, op, connection, symbols } = message
      countPrices(client, connection, symbols, op === 'subscribe' ? 1 : -1)
      const done =
        op === 'subscribe'
          ? current.subscribePrices(symbols, { connection })
          : current.unsubscribePrices(symbols, { connection })
      done.then(
        () => client.port.post({ type: 'done', id }),
        (error: unknown) => client.port.post({ type: 'done', id, error: String(error) }),
      )
      return
    }
    case 'start':
      return current.start()
    case 'reconnect':
      return current.reconnect(message.connection)
    case 'disconnect':
      return current.disconnect(message.connection)
    // Settings and snapshots apply to the one manager every tab of a shared engine uses.
    case 'enable':
      return current.setConnectionEnabled(message.connection, message.enabled)
    case 'throttle':
      return current.setThrottle(message.ms ?? undefined)
    case 'seed':
      return current.seedPrices(message.snapshot, { connection: message.connection })
    case 'send':
      return current.send(message.message, { connection: message.connection })
    case 'inspect':
      client.inspecting = true
      client.frames = message.frames
      frames.syncFrameListener()
      frames.send([client], diffStates(current.store.getState(), current.store.getState()))
      return
    case 'ack':
      return frames.acked(client)
    case 'reply':
      return remote.settle(
        message.id,
        message.ok ? { ok: true, value: message.value } : { ok: false, message: message.message },
      )
  }
}
