import type { EngineChannel } from './client'
import type { ClientMessage, HostMessage } from './messages'

/**
 * A channel opened on first need: a manager created with `autoStart: false` (as the React
 * provider creates it, during render) starts no worker until `start()`. Opening first loads
 * the code that makes the channel (`load`, a dynamic import: ./host-link.ts); commands given
 * before the channel exists wait, in order, behind the attach. Closed before it exists,
 * nothing is started at all.
 */
export function lazyChannel(
  load: () => Promise<() => EngineChannel>,
): EngineChannel & { open(): void } {
  let channel: EngineChannel | null = null
  let handler: (message: HostMessage) => void = () => {}
  let waiting: ClientMessage[] | null = []
  let loading = false
  return {
    open() {
      if (loading || !waiting) return
      loading = true
      load().then(
        (make) => {
          // Closed while loading: nothing to start.
          if (!waiting) return
          channel = make()
          channel.listen(handler)
          for (const message of waiting) channel.post(message)
          waiting = []
        },
        (error: unknown) =>
          console.error(`tickwire: the worker engine's client could not load: ${String(error)}`),
      )
    },
    post(message) {
      if (channel) channel.post(message)
      else waiting?.push(message)
    },
    listen(next) {
      handler = next
      channel?.listen(next)
    },
    close() {
      waiting = null
      channel?.close()
    },
  }
}
