/**
 * The engine host: one real stream manager (connections, decode, validation, merge, throttle,
 * frame scheduling) inside a Worker or SharedWorker, serving one or more tabs. Each tab's
 * holds are its own (./host-clients.ts), so a tab that leaves (or crashes) releases exactly
 * what it held, and the manager's reference counts span tabs. Commands are carried out in
 * ./host-commands.ts, frames and events go out through ./host-frames.ts.
 */
import type { StreamManager } from '../index'
// The main-thread engine itself, not `createStreamManager`: the worker must not bundle the
// code that starts workers (its `new URL('./worker.ts', …)` would send a bundler looking).
import { createMainThreadManager } from '../main-thread'
import { fullDiff } from './diff'
import {
  attachedCount,
  newClient,
  releaseAll,
  type HostClient,
  type HostPort,
} from './host-clients'
import { handleCommand } from './host-commands'
import { createHostFrames } from './host-frames'
import type { ClientMessage } from './messages'
import { createRemoteCalls } from './remote-calls'

export type { HostPort } from './host-clients'

/** Options of {@link createEngineHost}. */
export interface EngineHostOptions {
  /** Calls `onGone` once the tab's liveness lock is free (the tab closed or crashed). */
  waitForLock?: (lockName: string, onGone: () => void) => void
  /** The last tab left; the manager is already destroyed. */
  onEmpty(): void
}

/** The host: connect a tab's port, get the handler of its messages. */
export interface EngineHost {
  connect(port: HostPort): (message: ClientMessage) => void
  /** Tabs attached now. */
  readonly tabs: number
}

const OTHER_CONFIG =
  'tickwire: this tab joined a shared engine that another tab started with a different config; it uses that config. Give each distinct config its own `sharedName`.'

/** Creates the host. Nothing runs until the first tab attaches with its config. */
export function createEngineHost(options: EngineHostOptions): EngineHost {
  const clients = new Set<HostClient>()
  const remote = createRemoteCalls(() => clients)
  let manager: StreamManager | null = null
  let stopManager: (() => void) | null = null
  /** The config the running manager was made from, to tell a tab that brings another. */
  let configKey = ''
  const frames = createHostFrames(clients, () => manager)

  /** A tab left (detach, close or crash): everything it held is released, once. */
  function drop(client: HostClient): void {
    if (client.gone) return
    client.gone = true
    clients.delete(client)
    remote.forget(client)
    releaseAll(client, manager)
    frames.syncFrameListener()
    // Tabs still connecting (no attach yet) do not keep the manager: only attached ones hold.
    if (attachedCount(clients) === 0 && manager) {
      stopManager?.()
      manager.destroy()
      manager = null
      frames.syncFrameListener()
      options.onEmpty()
    } else if (manager) frames.tabsChanged()
  }

  function attach(client: HostClient, message: ClientMessage & { type: 'attach' }): void {
    client.attached = true
    for (const [name, connection] of Object.entries(message.config.connections)) {
      if (connection.getToken) client.answers.add(`getToken:${name}`)
      if (connection.fetchSnapshot) client.answers.add(`fetchSnapshot:${name}`)
    }
    if (!manager) {
      manager = createMainThreadManager(remote.managerConfig(message.config))
      stopManager = frames.watch(manager)
      configKey = JSON.stringify(message.config)
    } else if (JSON.stringify(message.config) !== configKey) {
      client.port.post({ type: 'notice', message: OTHER_CONFIG })
    }
    frames.send([client], fullDiff(manager.store.getState()))
    // The others learn the new count now: with no prices flowing they may get no frame.
    frames.tabsChanged()
    if (message.lockName && options.waitForLock) {
      options.waitForLock(message.lockName, () => drop(client))
    }
  }

  return {
    get tabs() {
      return attachedCount(clients)
    },
    connect(port) {
      const client = newClient(port)
      clients.add(client)
      return (message) => {
        if (client.gone) return
        if (message.type === 'attach') return attach(client, message)
        if (message.type === 'detach') {
          drop(client)
          return port.post({ type: 'closed' })
        }
        if (!manager || !client.attached) return
        try {
          handleCommand(client, message, manager, frames, remote)
        } catch (error) {
          port.post({ type: 'fatal', message: String(error) })
        }
      }
    },
  }
}
