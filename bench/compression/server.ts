/**
 * The server side of the compression bench, in its own process so that its CPU time is its
 * own: a feed server that moves the market only when the parent asks, and reports the CPU it
 * used (main thread and zlib's thread pool alike: `process.cpuUsage` covers the process).
 *
 * Messages from the parent: `{ run: ticks, everyMs }` then `{ report: true }`.
 * Messages to the parent: `{ url }`, `{ ticked: framesSent }`, `{ cpuMicros, bytesSent }` (both since `run`).
 */
import { createFeedServer, generateSymbols } from '../../src/server'

const compression = process.argv.includes('--compression')
const symbols = Number(process.argv.find((a) => a.startsWith('--symbols='))?.slice(10) ?? 100)

const server = await createFeedServer({
  port: 0,
  tickHz: 0,
  compression,
  // A share like the default feed's, over a board of `symbols` names.
  updateShare: 0.25,
  symbols: generateSymbols(symbols),
  pingIntervalMs: 0,
})
let started: NodeJS.CpuUsage | undefined
let bytesBefore = 0

function send(message: unknown): void {
  process.send?.(message)
}

process.on('message', (message: { run?: number; everyMs?: number; report?: boolean }) => {
  if (message.run !== undefined) {
    started = process.cpuUsage()
    bytesBefore = server.stats().bytesSent
    const before = server.stats().framesSent
    let left = message.run
    // Paced, as a live feed is: a burst of ticks would only measure queueing.
    const timer = setInterval(() => {
      server.tick()
      left -= 1
      if (left > 0) return
      clearInterval(timer)
      send({ ticked: server.stats().framesSent - before })
    }, message.everyMs ?? 5)
  }
  if (message.report) {
    const used = process.cpuUsage(started)
    const stats = server.stats()
    send({ cpuMicros: used.user + used.system, bytesSent: stats.bytesSent - bytesBefore })
    void server.close().then(() => process.exit(0))
  }
})

send({ url: server.url, symbols: server.market.symbols })
