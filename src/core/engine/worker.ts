/**
 * Entry of the engine's worker, shipped as its own self-contained file
 * (`dist/core/engine-worker.js`), so a Content-Security-Policy that forbids `blob:` workers
 * still allows it (`worker-src 'self'`). One file for both engines: as a dedicated Worker
 * (`engine: 'worker'`) it serves its one tab and closes with it; as a SharedWorker
 * (`engine: 'shared'`) every tab of the app connects a port, and a tab's liveness is a Web
 * Lock it holds while alive, so a tab that closes or crashes without a word still releases
 * its holds.
 */
import { createEngineHost } from './host'
import type { ClientMessage } from './messages'
import { waitForLock, type DedicatedScope, type SharedScope } from './scopes'

const shared = 'onconnect' in globalThis

if (shared) {
  const scope = globalThis as unknown as SharedScope
  // The manager is destroyed with the last tab; the worker itself stays until the browser
  // ends it, and a tab that comes back creates a manager anew.
  const host = createEngineHost({ waitForLock, onEmpty: () => {} })
  scope.addEventListener('connect', (event) => {
    const port = event.ports[0]
    if (!port) return
    const handle = host.connect({ post: (message) => port.postMessage(message) })
    port.onmessage = (message: MessageEvent<ClientMessage>) => {
      handle(message.data)
      if (message.data.type === 'detach') port.close()
    }
  })
} else {
  const scope = globalThis as unknown as DedicatedScope
  const host = createEngineHost({
    // The worker ends with its tab's manager: nothing stays behind after destroy().
    onEmpty: () => queueMicrotask(() => scope.close()),
  })
  const handle = host.connect({ post: (message) => scope.postMessage(message) })
  scope.addEventListener('message', (event) => handle(event.data))
}
