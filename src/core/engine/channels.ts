/**
 * The channels between a tab's proxy manager and its host: a dedicated Worker, or a port of
 * the SharedWorker every tab of the app shares. The worker files are referenced with
 * `new URL('./…', import.meta.url)` inside the constructor call, the form bundlers (Vite,
 * webpack 5, Rollup plugins) recognise and emit as a separate same-origin file, so a
 * Content-Security-Policy that forbids `blob:` workers is satisfied. The package build rewrites
 * the source names to the shipped files (tsdown.config.ts).
 */
import type { EngineChannel } from './client'
import type { ClientMessage, HostMessage } from './messages'
import { holdTabLock, uniqueId } from './liveness'

/** How long a destroyed dedicated worker gets to close its sockets cleanly before it is ended. */
const CLOSE_GRACE_MS = 1_000

/** Starts the engine's file as a dedicated worker (a tab's own, or a leader tab's). */
export function startWorker(workerUrl: string | URL | undefined): Worker {
  const worker = workerUrl
    ? new Worker(workerUrl, { type: 'module', name: 'tickwire-engine' })
    : new Worker(new URL('./worker.ts', import.meta.url), {
        type: 'module',
        name: 'tickwire-engine',
      })
  worker.addEventListener('error', (event) => {
    event.preventDefault()
    console.error(
      `tickwire: the worker engine could not start (${event.message || 'load error'}); ` +
        'check that the worker file is served (see `workerUrl`).',
    )
  })
  return worker
}

/** Starts the dedicated worker of `engine: 'worker'`. */
export function dedicatedChannel(workerUrl: string | URL | undefined): EngineChannel {
  const worker = startWorker(workerUrl)
  let handler: (message: HostMessage) => void = () => {}
  let ended = false
  let grace: ReturnType<typeof setTimeout> | undefined
  const end = () => {
    ended = true
    if (grace !== undefined) clearTimeout(grace)
    worker.terminate()
  }
  worker.onmessage = (event: MessageEvent<HostMessage>) => {
    if (event.data.type === 'closed') return end()
    handler(event.data)
  }
  return {
    post: (message) => {
      if (!ended) worker.postMessage(message)
    },
    listen: (next) => {
      handler = next
    },
    close: () => {
      if (!ended) grace = setTimeout(end, CLOSE_GRACE_MS)
    },
  }
}

/**
 * Connects to the SharedWorker of `engine: 'shared'` named `name`. Messages wait until the
 * tab holds its liveness lock and has attached: the host must never see a hold from a tab it
 * cannot watch.
 */
export function sharedChannel(name: string, workerUrl: string | URL | undefined): EngineChannel {
  const worker = workerUrl
    ? new SharedWorker(workerUrl, { type: 'module', name })
    : new SharedWorker(new URL('./worker.ts', import.meta.url), { type: 'module', name })
  const port = worker.port
  const queue: ClientMessage[] = []
  let ready = false
  let closed = false
  let releaseLock: (() => void) | null = null
  worker.onerror = (event) => {
    event.preventDefault()
    console.error(
      'tickwire: the shared engine could not start; check that its worker file is served.',
    )
  }
  const flush = () => {
    ready = true
    for (const message of queue.splice(0)) port.postMessage(message)
  }
  return {
    post(message) {
      if (closed) return
      if (message.type === 'attach') {
        const clientId = uniqueId()
        const lockName = `tickwire:tab:${name}:${clientId}`
        releaseLock = holdTabLock(lockName, (held) => {
          if (closed) return
          port.postMessage({ ...message, clientId, lockName: held ? lockName : null })
          flush()
        })
        return
      }
      if (ready) port.postMessage(message)
      else queue.push(message)
    },
    listen(handler) {
      port.onmessage = (event: MessageEvent<HostMessage>) => handler(event.data)
      port.start()
    },
    close() {
      closed = true
      // Destroyed before it attached: the host still has this port's entry; end it too.
      if (!ready) port.postMessage({ type: 'detach' } satisfies ClientMessage)
      queue.length = 0
      // The detach went first (post() above); the lock goes with the tab's holds.
      releaseLock?.()
      port.close()
    },
  }
}
