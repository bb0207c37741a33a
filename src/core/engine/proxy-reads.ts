/**
 * What the worker engine's proxy manager (client.ts) answers on this thread, from what the
 * host last sent: event listeners, statistics and the inspection mirror.
 */
import { emptyStats, sumStats } from '../connection/stats'
import type { StreamManager } from '../index'
import type { ProxyState } from './proxy-state'

/** The manager methods that read what the host sent. */
export type ProxyReads = Pick<StreamManager, 'on' | 'getStats' | 'inspect'>

/** Asks the host to mirror its inspection with every frame (and its frames, when listened). */
function requestInspection(state: ProxyState): void {
  if (state.destroyed) return
  state.inspecting = true
  state.channel.post({ type: 'inspect', frames: state.frameListeners.size > 0 })
}

/** The reading methods over `state`. */
export function proxyReads(state: ProxyState): ProxyReads {
  const { frameListeners } = state
  return {
    on(event, listener) {
      if (state.destroyed) return () => {}
      const set = state.listeners[event]
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    getStats(name) {
      const chosen = name === undefined ? state.names : [state.route({ connection: name })]
      return sumStats(chosen.map((each) => state.stats[each] ?? emptyStats()))
    },
    inspect() {
      if (!state.inspecting) requestInspection(state)
      return {
        wanted: () => structuredClone(state.mirror.wanted),
        history: () => state.mirror.history.slice(),
        engine: () => ({ kind: state.kind, tabs: state.tabs }),
        onFrame(listener) {
          if (state.destroyed) return () => {}
          frameListeners.add(listener)
          if (frameListeners.size === 1) requestInspection(state)
          return () => {
            if (frameListeners.delete(listener) && frameListeners.size === 0)
              requestInspection(state)
          }
        },
      }
    },
  }
}
