/** How the worker engine's proxy manager (client.ts) acts on each message of its host. */
import type { HostMessage } from './messages'
import { answerLocalCall } from './proxy-calls'
import { emitTo } from './proxy-listeners'
import type { ProxyState } from './proxy-state'

/** Applies one message of the host to the proxy's state. */
export function handleHostMessage(state: ProxyState, message: HostMessage): void {
  if (state.destroyed) return
  switch (message.type) {
    case 'frame':
      state.stats = message.stats
      state.tabs = message.tabs
      if (message.inspection) state.mirror = message.inspection
      state.frames?.receive(message.diff)
      return
    case 'event':
      // The union is keyed by event name; the payload matches it by construction.
      emitTo(state.listeners, message.event, message.payload as never)
      return
    case 'done': {
      const waiting = state.pending.get(message.id)
      state.pending.delete(message.id)
      if (message.error === undefined) waiting?.resolve()
      else waiting?.reject(new Error(message.error))
      return
    }
    case 'call':
      return answerLocalCall(
        state.calls,
        message.id,
        message.connection,
        message.fn,
        message.symbols,
      )
    case 'cancel':
      state.aborts.get(message.id)?.abort()
      state.aborts.delete(message.id)
      return
    case 'tabs':
      state.tabs = message.tabs
      return
    case 'inspected':
      for (const listener of state.frameListeners) listener(message.frame)
      return
    case 'fatal':
      console.error(`tickwire: the ${state.kind} engine failed: ${message.message}`)
      return
    case 'notice':
      console.warn(message.message)
      return
    case 'closed':
      return
  }
}
