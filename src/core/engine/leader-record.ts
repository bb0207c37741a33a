/**
 * What a tab of a leader-elected shared engine (./leader.ts) holds, recorded from its own
 * messages so it can replay them to every new leader: its attach, its live holds, its
 * `subscribePrices` counts and its inspection request.
 */
import type { ClientMessage } from './messages'

type Attach = ClientMessage & { type: 'attach' }
type Acquire = ClientMessage & { type: 'acquire' }

/** One tab's record. */
export interface TabRecord {
  /** The attach to replay, once the tab holds its liveness lock. */
  attach: Attach | null
  /** Notes what `message` changes in what the tab holds. */
  note(message: ClientMessage): void
  /** Sends, in order, what a new leader must know of this tab. */
  replay(toHost: (message: ClientMessage) => void): void
}

/** An empty record. */
export function createTabRecord(): TabRecord {
  let inspect: ClientMessage | null = null
  const holds = new Map<number, Acquire>()
  const prices = new Map<string, { connection: string; symbol: string; count: number }>()
  const record: TabRecord = {
    attach: null,
    note(message) {
      switch (message.type) {
        case 'acquire':
          holds.set(message.hold, message)
          return
        case 'release':
          holds.delete(message.hold)
          return
        case 'prices':
          for (const symbol of message.symbols) {
            const key = `${message.connection}\u0000${symbol}`
            const entry = prices.get(key) ?? { connection: message.connection, symbol, count: 0 }
            entry.count = Math.max(0, entry.count + (message.op === 'subscribe' ? 1 : -1))
            if (entry.count > 0) prices.set(key, entry)
            else prices.delete(key)
          }
          return
        case 'inspect':
          inspect = message
          return
      }
    },
    replay(toHost) {
      if (!record.attach) return
      toHost(record.attach)
      for (const hold of holds.values()) toHost(hold)
      for (const { connection, symbol, count } of prices.values()) {
        const symbols = new Array<string>(count).fill(symbol)
        toHost({ type: 'prices', id: 0, op: 'subscribe', connection, symbols })
      }
      if (inspect) toHost(inspect)
    },
  }
  return record
}
