import type { EngineChannel } from './client'
import type { ClientMessage, HostMessage } from './messages'

/**
 * A channel opened on first need: a manager created with `autoStart: false` (as the React
 * provider creates it, during render) starts no worker until `start()`; commands given
 * before that wait, in order, behind the attach.
 */
export function lazyChannel(open: () => EngineChannel): EngineChannel & { open(): void } {
  let channel: EngineChannel | null = null
  let handler: (message: HostMessage) => void = () => {}
  let waiting: ClientMessage[] | null = []
  return {
    open() {
      if (channel || !waiting) return
      channel = open()
      channel.listen(handler)
      for (const message of waiting) channel.post(message)
      waiting = []
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
      // Never opened: nothing started, nothing to end.
      waiting = null
      channel?.close()
    },
  }
}
