/**
 * `engine: 'shared'` where SharedWorker is missing (Chrome on Android): leader election with
 * Web Locks and a BroadcastChannel. The tab holding the leader lock runs the engine's worker
 * and relays every other tab's messages to it, one MessagePort per tab; the others talk to it
 * over the BroadcastChannel. When the leader tab goes, its lock frees, the next tab in the
 * lock's queue starts a worker and announces itself, and every tab replays what it holds
 * (its attach, its live holds, its `subscribePrices` counts), so the new leader subscribes
 * the union of every tab's holds.
 */
import type { EngineChannel } from './client'
import { createTabRecord } from './leader-record'
import { campaign, lead, type Leadership } from './leader-relay'
import { holdTabLock, uniqueId } from './liveness'
import type { ClientMessage, HostMessage } from './messages'

/** What travels on the BroadcastChannel. */
type Broadcast =
  | { kind: 'hello' }
  | { kind: 'leader'; leader: string }
  | { kind: 'to-host'; leader: string; from: string; message: ClientMessage }
  | { kind: 'to-tab'; to: string; message: HostMessage }

/** The channel of one tab in a leader-elected group named `name`. */
export function leaderChannel(name: string, workerUrl: string | URL | undefined): EngineChannel {
  const clientId = uniqueId()
  const bus = new BroadcastChannel(`tickwire:engine:${name}`)
  const abort = new AbortController()
  const record = createTabRecord()
  let handler: (message: HostMessage) => void = () => {}
  let leader: string | null = null
  let mine: Leadership | null = null
  let closed = false
  let releaseTabLock: () => void = () => {}
  const announce = (message: Broadcast) => bus.postMessage(message)

  function toHost(message: ClientMessage): void {
    if (leader === null || record.attach === null) return
    if (mine?.id === leader) mine.relayIn(clientId, message)
    else announce({ kind: 'to-host', leader, from: clientId, message })
  }

  function follow(id: string): void {
    if (id === leader) return
    leader = id
    record.replay(toHost)
  }

  const relayOut = (to: string, message: HostMessage) => {
    if (to === clientId) handler(message)
    else announce({ kind: 'to-tab', to, message })
  }

  bus.onmessage = (event: MessageEvent<Broadcast>) => {
    const data = event.data
    if (data.kind === 'hello') {
      if (mine) announce({ kind: 'leader', leader: mine.id })
    } else if (data.kind === 'leader') follow(data.leader)
    else if (data.kind === 'to-host') {
      if (mine && data.leader === mine.id) mine.relayIn(data.from, data.message)
    } else if (data.to === clientId) handler(data.message)
  }

  return {
    post(message) {
      if (closed) return
      if (message.type !== 'attach') {
        record.note(message)
        return toHost(message)
      }
      const lockName = `tickwire:tab:${name}:${clientId}`
      releaseTabLock = holdTabLock(lockName, (held) => {
        if (closed) return
        record.attach = { ...message, clientId, lockName: held ? lockName : null }
        announce({ kind: 'hello' })
        campaign(name, abort.signal, (resign) => {
          mine = lead(workerUrl, relayOut, resign)
          announce({ kind: 'leader', leader: mine.id })
          follow(mine.id)
        })
        if (leader) record.replay(toHost)
      })
    },
    listen(next) {
      handler = next
    },
    close() {
      closed = true
      abort.abort()
      releaseTabLock()
      // Resigning ends this tab's worker (and the sockets in it); the next tab in the lock's
      // queue starts its own at once and every tab replays its holds there.
      mine?.end()
      mine = null
      bus.close()
    },
  }
}
