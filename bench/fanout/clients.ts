/**
 * The load: K WebSocket clients in the bench process, spread round-robin over the nodes, each
 * subscribed to `perClient` symbols chosen so every symbol has the same number of
 * subscribers. Each delta received counts as one delivery, and its publish-to-client latency
 * is the receive time minus the delta's `ts` (the moment the market moved, in the publisher
 * or the embedded server: same machine, same clock; `ts` is whole ms, so figures carry up
 * to 1 ms of rounding, the same in every scenario).
 */
import { performance } from 'node:perf_hooks'
import { WebSocket } from 'ws'

interface Tick {
  type: string
  ts?: number
  messages?: Tick[]
}

const BATCH = 25

/** Open clients and what they measure. */
export interface ClientFleet {
  /** Deliveries counted since the last `reset()`, with their latencies (ms). */
  deliveries: number
  latencies: number[]
  /** Snapshots received since start (each client needs one per symbol before measuring). */
  snapshots: number
  reset(): void
  close(): Promise<void>
}

/** Opens `count` clients over `urls` and subscribes each to its share of `symbols`. */
export async function openClients(
  urls: readonly string[],
  count: number,
  symbols: readonly string[],
  perClient: number,
): Promise<ClientFleet> {
  const sockets: WebSocket[] = []
  const fleet: ClientFleet = {
    deliveries: 0,
    latencies: [],
    snapshots: 0,
    reset() {
      fleet.deliveries = 0
      fleet.latencies = []
    },
    async close() {
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve()
              ws.once('close', () => resolve())
              ws.terminate()
            }),
        ),
      )
    },
  }
  const onTick = (tick: Tick, now: number) => {
    if (tick.type === 'delta') {
      fleet.deliveries++
      if (tick.ts !== undefined) fleet.latencies.push(now - tick.ts)
    } else if (tick.type === 'snapshot') fleet.snapshots++
    else if (tick.type === 'batch') for (const inner of tick.messages ?? []) onTick(inner, now)
  }
  // Opened in batches: hundreds of handshakes at once on a loaded machine can outlast the
  // server's request timeout (408), which would measure the machine, not the feed.
  let opened: Array<Promise<void>> = []
  for (let i = 0; i < count; i++) {
    if (opened.length === BATCH) {
      await Promise.all(opened)
      opened = []
    }
    const ws = new WebSocket(urls[i % urls.length] as string, ['tickwire.v1.json'])
    sockets.push(ws)
    const wanted = Array.from(
      { length: perClient },
      (_, j) => symbols[(i * perClient + j) % symbols.length] as string,
    )
    ws.on('message', (data) => {
      const now = performance.timeOrigin + performance.now()
      onTick(JSON.parse(String(data)) as Tick, now)
    })
    opened.push(
      new Promise((resolve, reject) => {
        ws.once('open', () => {
          ws.send(JSON.stringify({ type: 'subscribe', id: 1, symbols: wanted }))
          resolve()
        })
        ws.once('error', reject)
      }),
    )
  }
  await Promise.all(opened)
  return fleet
}
