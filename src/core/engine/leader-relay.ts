/**
 * The leader tab's side of a leader-elected shared engine (./leader.ts): it runs the engine's
 * worker and gives every tab (itself included) its own MessagePort of that worker, made at
 * the tab's attach, relaying the tab's messages in and the worker's replies out.
 */
import { startWorker } from './channels'
import { uniqueId } from './liveness'
import type { ClientMessage, HostMessage } from './messages'

/** This tab's leadership: its worker and one port per tab. */
export interface Leadership {
  readonly id: string
  /** Relays a tab's message into its port of the worker (ignored before its attach). */
  relayIn(from: string, message: ClientMessage): void
  /** Ends the worker (and the sockets in it) and frees the leader lock. */
  end(): void
}

/**
 * Starts leading: `relayOut` gets each reply of the worker with the tab it is for, `resign`
 * frees the leader lock.
 */
export function lead(
  workerUrl: string | URL | undefined,
  relayOut: (to: string, message: HostMessage) => void,
  resign: () => void,
): Leadership {
  const worker = startWorker(workerUrl)
  const ports = new Map<string, MessagePort>()
  return {
    id: uniqueId(),
    relayIn(from, message) {
      let port = ports.get(from)
      if (!port) {
        if (message.type !== 'attach') return
        const pair = new MessageChannel()
        port = pair.port1
        ports.set(from, port)
        port.onmessage = (event: MessageEvent<HostMessage>) => relayOut(from, event.data)
        worker.postMessage({ type: 'port' }, [pair.port2])
      }
      port.postMessage(message)
      if (message.type === 'detach') {
        port.close()
        ports.delete(from)
      }
    },
    end() {
      worker.terminate()
      resign()
    },
  }
}

/**
 * Queues for the leader lock of group `name`; once granted, `onLead(resign)` runs and the lock
 * is held until `resign` is called. An abort while waiting leaves the queue quietly.
 */
export function campaign(
  name: string,
  signal: AbortSignal,
  onLead: (resign: () => void) => void,
): void {
  globalThis.navigator.locks
    .request(`tickwire:leader:${name}`, { signal }, () => {
      if (signal.aborted) return undefined
      return new Promise<void>((resign) => onLead(resign))
    })
    // Aborted at close() while waiting in the queue: nothing to do.
    .catch(() => {})
}
