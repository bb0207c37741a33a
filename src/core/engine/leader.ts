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
import { startWorker } from './channels'
import { holdTabLock, uniqueId } from './liveness'
import type { ClientMessage, HostMessage } from './messages'

/** What travels on the BroadcastChannel. */
type Broadcast =
  | { kind: 'hello' }
  | { kind: 'leader'; leader: string }
  | { kind: 'to-host'; leader: string; from: string; message: ClientMessage }
  | { kind: 'to-tab'; to: string; message: HostMessage }

interface Leadership {
  id: string
  worker: Worker
  ports: Map<string, MessagePort>
  resign(): void
}

type Attach = ClientMessage & { type: 'attach' }
type Acquire = ClientMessage & { type: 'acquire' }

/** Whether this environment can elect a leader (Web Locks and BroadcastChannel). */
export function canElect(): boolean {
  return typeof BroadcastChannel !== 'undefined' && !!globalThis.navigator?.locks
}

/** The channel of one tab in a leader-elected group named `name`. */
export function leaderChannel(name: string, workerUrl: string | URL | undefined): EngineChannel {
  const clientId = uniqueId()
  const bus = new BroadcastChannel(`tickwire:engine:${name}`)
  const abort = new AbortController()
  let handler: (message: HostMessage) => void = () => {}
  let leader: string | null = null
  let mine: Leadership | null = null
  let closed = false
  let releaseTabLock: () => void = () => {}
  // What this tab holds, replayed to every new leader.
  let attach: Attach | null = null
  let inspect: ClientMessage | null = null
  const holds = new Map<number, Acquire>()
  const prices = new Map<string, { connection: string; symbol: string; count: number }>()

  function toHost(message: ClientMessage): void {
    if (leader === null || attach === null) return
    if (mine?.id === leader) relayIn(clientId, message)
    else bus.postMessage({ kind: 'to-host', leader, from: clientId, message } satisfies Broadcast)
  }

  function replay(): void {
    if (!attach) return
    toHost(attach)
    for (const hold of holds.values()) toHost(hold)
    for (const { connection, symbol, count } of prices.values()) {
      const symbols = new Array<string>(count).fill(symbol)
      toHost({ type: 'prices', id: 0, op: 'subscribe', connection, symbols })
    }
    if (inspect) toHost(inspect)
  }

  function follow(id: string): void {
    if (id === leader) return
    leader = id
    replay()
  }

  /** Leader side: a tab's message into its port of the worker (made at its attach). */
  function relayIn(from: string, message: ClientMessage): void {
    if (!mine) return
    let port = mine.ports.get(from)
    if (!port) {
      if (message.type !== 'attach') return
      const pair = new MessageChannel()
      port = pair.port1
      mine.ports.set(from, port)
      port.onmessage = (event: MessageEvent<HostMessage>) => relayOut(from, event.data)
      mine.worker.postMessage({ type: 'port' }, [pair.port2])
    }
    port.postMessage(message)
    if (message.type === 'detach') {
      port.close()
      mine.ports.delete(from)
    }
  }

  function relayOut(to: string, message: HostMessage): void {
    if (to === clientId) handler(message)
    else bus.postMessage({ kind: 'to-tab', to, message } satisfies Broadcast)
  }

  bus.onmessage = (event: MessageEvent<Broadcast>) => {
    const data = event.data
    if (data.kind === 'hello') {
      if (mine) bus.postMessage({ kind: 'leader', leader: mine.id } satisfies Broadcast)
    } else if (data.kind === 'leader') follow(data.leader)
    else if (data.kind === 'to-host') {
      if (mine && data.leader === mine.id) relayIn(data.from, data.message)
    } else if (data.to === clientId) handler(data.message)
  }

  function campaign(): void {
    globalThis.navigator.locks
      .request(`tickwire:leader:${name}`, { signal: abort.signal }, () => {
        if (closed) return undefined
        return new Promise<void>((resign) => {
          mine = {
            id: uniqueId(),
            worker: startWorker(workerUrl),
            ports: new Map(),
            resign,
          }
          bus.postMessage({ kind: 'leader', leader: mine.id } satisfies Broadcast)
          follow(mine.id)
        })
      })
      // Aborted at close() while waiting in the queue: nothing to do.
      .catch(() => {})
  }

  return {
    post(message) {
      if (closed) return
      switch (message.type) {
        case 'attach':
          releaseTabLock = holdTabLock(`tickwire:tab:${name}:${clientId}`, (held) => {
            if (closed) return
            attach = {
              ...message,
              clientId,
              lockName: held ? `tickwire:tab:${name}:${clientId}` : null,
            }
            bus.postMessage({ kind: 'hello' } satisfies Broadcast)
            campaign()
            if (leader) replay()
          })
          return
        case 'acquire':
          holds.set(message.hold, message)
          break
        case 'release':
          holds.delete(message.hold)
          break
        case 'prices':
          for (const symbol of message.symbols) {
            const key = `${message.connection}\u0000${symbol}`
            const entry = prices.get(key) ?? { connection: message.connection, symbol, count: 0 }
            entry.count = Math.max(0, entry.count + (message.op === 'subscribe' ? 1 : -1))
            if (entry.count > 0) prices.set(key, entry)
            else prices.delete(key)
          }
          break
        case 'inspect':
          inspect = message
          break
      }
      toHost(message)
    },
    listen(next) {
      handler = next
    },
    close() {
      closed = true
      abort.abort()
      releaseTabLock()
      if (mine) {
        // Resigning ends this tab's worker (and the sockets in it); the next tab in the lock's
        // queue starts its own at once and every tab replays its holds there.
        mine.worker.terminate()
        mine.resign()
        mine = null
      }
      bus.close()
    },
  }
}
