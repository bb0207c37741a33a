/**
 * Entry of the engine's worker, shipped as its own self-contained file
 * (`dist/core/engine-worker.js`), so a Content-Security-Policy that forbids `blob:` workers
 * still allows it (`worker-src 'self'`). One file for every engine:
 * - as a SharedWorker (`engine: 'shared'`) every tab of the app connects a port;
 * - as a dedicated Worker (`engine: 'worker'`) it serves the tab that started it and closes
 *   with that tab's manager;
 * - as the leader tab's Worker (`engine: 'shared'` without SharedWorker, ./leader.ts) it
 *   receives one MessagePort per tab, relayed by the leader.
 * A tab's liveness is a Web Lock it holds while alive, so a tab that closes or crashes
 * without a word still releases its holds.
 */
import { createEngineHost, type EngineHost } from './host'
import type { ClientMessage } from './messages'
import { waitForLock, type DedicatedScope, type SharedScope } from './scopes'

function connectPort(host: EngineHost, port: MessagePort): void {
  const handle = host.connect({ post: (message) => port.postMessage(message) })
  port.onmessage = (message: MessageEvent<ClientMessage>) => {
    handle(message.data)
    if (message.data.type === 'detach') port.close()
  }
}

if ('onconnect' in globalThis) {
  const scope = globalThis as unknown as SharedScope
  // The manager is destroyed with the last tab; the worker itself stays until the browser
  // ends it, and a tab that comes back creates a manager anew.
  const host = createEngineHost({ waitForLock, onEmpty: () => {} })
  scope.addEventListener('connect', (event) => {
    const port = event.ports[0]
    if (port) connectPort(host, port)
  })
} else {
  const scope = globalThis as unknown as DedicatedScope
  let relayed = false
  let handle: ((message: ClientMessage) => void) | null = null
  const host = createEngineHost({
    waitForLock,
    // A tab's own worker ends with its manager: nothing stays behind after destroy(). A
    // leader's worker is ended by the leader.
    onEmpty: () => {
      if (!relayed) queueMicrotask(() => scope.close())
    },
  })
  scope.addEventListener('message', (event) => {
    const port = event.ports[0]
    if (port) {
      relayed = true
      connectPort(host, port)
      return
    }
    handle ??= host.connect({ post: (message) => scope.postMessage(message) })
    handle(event.data)
  })
}
