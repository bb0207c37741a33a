/**
 * What the engine host (host.ts) sends its tabs: a frame per store write of the manager in
 * the worker (the diff, the statistics, the tab count, and the inspection mirror for a tab
 * that inspects), one in flight per tab (./frame-gate.ts), its events, the tab count when a
 * tab attaches or leaves, and the inspected frames for a tab that listens to them.
 */
import type { ConnectionStats, StreamDiff, StreamManager } from '../index'
import { diffStates } from './diff'
import { ack, pass } from './frame-gate'
import { attachedCount, listening, type HostClient } from './host-clients'
import type { HostMessage, InspectionMirror } from './messages'

/** The host's outbound side. */
export interface HostFrames {
  /** Sends `diff` as a frame to each listening tab of `targets` (or holds it, merged). */
  send(targets: Iterable<HostClient>, diff: StreamDiff): void
  /** The tab applied its last frame: what was held for it goes out now. */
  acked(client: HostClient): void
  /** Sends `message` to every listening tab. */
  broadcast(message: HostMessage): void
  /** A tab attached or left: every listening tab gets the new count now, not at its next frame. */
  tabsChanged(): void
  /** Listens to the manager's inspected frames while a tab wants them, and only then. */
  syncFrameListener(): void
  /** Forwards every store write (as a frame) and event of `created` to the tabs; returns the undo. */
  watch(created: StreamManager): () => void
}

function stats(current: StreamManager): Record<string, ConnectionStats> {
  const out: Record<string, ConnectionStats> = {}
  for (const name of current.connectionNames) out[name] = current.getStats(name)
  return out
}

function mirror(current: StreamManager): InspectionMirror {
  const inspection = current.inspect()
  return { wanted: inspection.wanted(), history: [...inspection.history()] }
}

/** Creates the outbound side over the host's tabs and its current manager. */
export function createHostFrames(
  clients: ReadonlySet<HostClient>,
  manager: () => StreamManager | null,
): HostFrames {
  let stopFrames: (() => void) | null = null

  function send(targets: Iterable<HostClient>, diff: StreamDiff): void {
    const current = manager()
    if (!current) return
    let frame: HostMessage | null = null
    let inspected: HostMessage | null = null
    for (const client of targets) {
      if (!listening(client)) continue
      const now = pass(client.gate, diff)
      if (!now) continue
      // Built once per diff; a held diff that goes out at its tab's ack gets its own.
      frame ??= { type: 'frame', diff: now, stats: stats(current), tabs: attachedCount(clients) }
      if (client.inspecting) {
        inspected ??= { ...frame, inspection: mirror(current) }
        client.port.post(inspected)
      } else client.port.post(frame)
    }
  }

  function broadcast(message: HostMessage): void {
    for (const client of clients) if (listening(client)) client.port.post(message)
  }

  return {
    send,
    broadcast,
    tabsChanged() {
      broadcast({ type: 'tabs', tabs: attachedCount(clients) })
    },
    acked(client) {
      const held = ack(client.gate)
      if (held) send([client], held)
    },
    watch(created) {
      const undo = [
        created.store.subscribe((next, prev) => send(clients, diffStates(prev, next))),
        created.on('status', (payload) => broadcast({ type: 'event', event: 'status', payload })),
        created.on('error', (payload) => broadcast({ type: 'event', event: 'error', payload })),
        created.on('message', (payload) => broadcast({ type: 'event', event: 'message', payload })),
      ]
      return () => undo.forEach((each) => each())
    },
    syncFrameListener() {
      const current = manager()
      const wanted = current !== null && [...clients].some((each) => each.frames && !each.gone)
      if (wanted && !stopFrames && current) {
        stopFrames = current.inspect().onFrame((frame) => {
          for (const client of clients)
            if (client.frames && !client.gone) client.port.post({ type: 'inspected', frame })
        })
      } else if (!wanted && stopFrames) {
        stopFrames()
        stopFrames = null
      }
    },
  }
}
