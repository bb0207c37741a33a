/**
 * The engine host's record of each tab (host.ts): what the tab holds, so a tab that leaves
 * releases exactly that, and what it asked to see.
 */
import type { Release, StreamManager } from '../index'
import { openGate, type FrameGate } from './frame-gate'
import type { HostMessage } from './messages'
import type { CallTarget } from './remote-calls'

/** One tab's end of the host. */
export interface HostPort {
  post(message: HostMessage): void
}

/** One tab as the host knows it. */
export interface HostClient extends CallTarget {
  readonly port: HostPort
  attached: boolean
  gone: boolean
  holds: Map<number, Release>
  /** `subscribePrices` references still held, by connection then symbol. */
  prices: Map<string, Map<string, number>>
  /** Remote functions this tab answers, as `fn:connection`. */
  answers: Set<string>
  inspecting: boolean
  frames: boolean
  /** One frame in flight to this tab at a time (./frame-gate.ts). */
  gate: FrameGate
}

/** A tab that has connected its port and not yet attached. */
export function newClient(port: HostPort): HostClient {
  return {
    port,
    attached: false,
    gone: false,
    holds: new Map(),
    prices: new Map(),
    answers: new Set(),
    inspecting: false,
    frames: false,
    gate: openGate(),
  }
}

/** Whether the tab still takes messages: attached and not gone. */
export function listening(client: HostClient): boolean {
  return client.attached && !client.gone
}

/** Tabs attached now. */
export function attachedCount(clients: Iterable<HostClient>): number {
  let n = 0
  for (const client of clients) if (listening(client)) n++
  return n
}

/** Counts a tab's `subscribePrices` (step 1) or `unsubscribePrices` (step -1) references. */
export function countPrices(
  client: HostClient,
  connection: string,
  symbols: readonly string[],
  step: 1 | -1,
): void {
  let counts = client.prices.get(connection)
  if (!counts) client.prices.set(connection, (counts = new Map()))
  for (const symbol of symbols) {
    const next = (counts.get(symbol) ?? 0) + step
    if (next > 0) counts.set(symbol, next)
    else counts.delete(symbol)
  }
}

/** Releases everything the tab holds on `manager`: its holds and its price references. */
export function releaseAll(client: HostClient, manager: StreamManager | null): void {
  if (manager) {
    for (const release of client.holds.values()) release()
    for (const [connection, counts] of client.prices) {
      const symbols: string[] = []
      for (const [symbol, count] of counts) for (let i = 0; i < count; i++) symbols.push(symbol)
      if (symbols.length > 0) void manager.unsubscribePrices(symbols, { connection })
    }
  }
  client.holds.clear()
  client.prices.clear()
}
