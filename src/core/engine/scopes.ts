/**
 * The few worker-scope shapes the engine entries use. The project compiles against the DOM
 * library (not WebWorker), so the globals are described here instead of pulled in.
 */
import type { ClientMessage, HostMessage } from './messages'

/** A dedicated worker's global scope, as ./worker.ts uses it. */
export interface DedicatedScope {
  postMessage(message: HostMessage): void
  addEventListener(type: 'message', listener: (event: MessageEvent<ClientMessage>) => void): void
  close(): void
}

/** A shared worker's global scope, as ./shared-worker.ts uses it. */
export interface SharedScope {
  addEventListener(type: 'connect', listener: (event: MessageEvent) => void): void
  close(): void
}

/** Waits for a tab's liveness lock: granted only once the tab has closed or crashed. */
export function waitForLock(lockName: string, onGone: () => void): void {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (!locks) return
  void locks.request(lockName, () => onGone())
}
