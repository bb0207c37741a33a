import { request, type IncomingMessage } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createFeedServer, generateSymbols } from '../../src/server'
import { connect, flatten } from './client'

// A gc() for honest heap figures without restarting Vitest with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function heapAfterGc(): number {
  gc()
  gc()
  const usage = process.memoryUsage()
  // Queued frames live in Buffers, outside the V8 heap: count both.
  return usage.heapUsed + usage.external
}

const MiB = 1024 * 1024

async function waitUntil(
  condition: () => boolean,
  timeoutMs = 3000,
  orStop = false,
): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) {
      if (orStop) return
      throw new Error('condition not met in time')
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('slow clients', () => {
  it("a client that never reads does not grow the server's memory, and another keeps its rate", async () => {
    const symbols = generateSymbols(400)
    // TICKWIRE_NO_GUARD=1 runs the same load without the guard, to see what it prevents.
    const noGuard = Boolean(process.env.TICKWIRE_NO_GUARD)
    const slowClientBytes = noGuard ? Infinity : 64 * 1024
    const tickHz = 50
    const server = await createFeedServer({
      port: 0,
      tickHz: 0,
      symbols,
      updateShare: 1,
      slowClientBytes,
      // The guard alone: with permessage-deflate, frames waiting for zlib count in
      // bufferedAmount, so on a busy CPU the reading client is guarded too (~50 KB frames at
      // 50 Hz). Compression has its own tests in compression.test.ts.
      compression: false,
    })
    const slow = await connect(server.url)
    const fast = await connect(server.url, undefined, { keep: false })
    try {
      for (let i = 0; i < symbols.length; i += 100) {
        const frame = { type: 'subscribe', id: i / 100 + 1, symbols: symbols.slice(i, i + 100) }
        slow.send(frame)
        fast.send(frame)
      }
      await slow.waitFor(
        () => flatten(slow.messages).filter((m) => m.type === 'snapshot').length === 400,
      )
      await waitUntil(() => fast.batches === 4)
      // From here on the slow client's socket is never read: the kernel buffers fill, then Node's.
      slow.ws.pause()

      const heapBefore = heapAfterGc()
      const timer = setInterval(() => server.tick(), 1000 / tickHz)
      const started = Date.now()
      let peakBuffered = 0
      const sampler = setInterval(() => {
        peakBuffered = Math.max(peakBuffered, server.stats().bufferedBytes)
      }, 20)
      // Run until the guard has skipped 60 frames (the kernel's socket buffers, a few MB, fill
      // first), however slow the machine is; about 3 s here.
      await waitUntil(() => server.stats().skippedFrames >= 60, noGuard ? 3000 : 15_000, noGuard)
      clearInterval(timer)
      clearInterval(sampler)
      // Let the reading client take what is still in flight.
      await waitUntil(() => fast.batches - 4 >= server.stats().ticks, 3000, true)
      const elapsed = Date.now() - started
      const heapAfter = heapAfterGc()
      const stats = server.stats()
      const fastBatches = fast.batches - 4
      const fastBytes = stats.bytesSent / 2

      const report = {
        ticks: stats.ticks,
        fastClientFrames: fastBatches,
        bytesOfferedPerClientMiB: +(fastBytes / MiB).toFixed(1),
        slowClientBytesBound: slowClientBytes,
        maxBufferedBytes: stats.maxBufferedBytes,
        peakBufferedBytes: peakBuffered,
        skippedFrames: stats.skippedFrames,
        heapGrowthMiB: +((heapAfter - heapBefore) / MiB).toFixed(2),
        elapsed,
      }
      console.log('slow client:', JSON.stringify(report))

      // The test means something only if far more was produced than the bound.
      expect(fastBytes).toBeGreaterThan(40 * slowClientBytes)
      expect(stats.slowClients).toBe(1)
      // What the server queues for a socket: the bound plus at most one frame (a 400-delta
      // batch is about 50 KB here) plus one snapshot batch.
      expect(stats.maxBufferedBytes).toBeLessThan(slowClientBytes + 256 * 1024)
      expect(peakBuffered).toBeLessThan(slowClientBytes + 256 * 1024)
      // Measured here: 0.2 to 0.3 MiB with the guard. Without it (TICKWIRE_NO_GUARD=1, which
      // stops after 3 s as nothing is skipped, and fails here) 1.6 to 3.1 MiB after 3 s, growing
      // for as long as the peer stalls.
      expect(heapAfter - heapBefore).toBeLessThan(2 * MiB)
      // The reading client kept its rate: every step reached it.
      expect(fastBatches).toBe(stats.ticks)

      // Once it reads again it gets a snapshot per symbol, then deltas resume.
      slow.ws.resume()
      const before = slow.messages.length
      await slow.waitFor(
        (m) =>
          slow.messages.indexOf(m) >= before &&
          m.type === 'batch' &&
          m.messages?.length === 400 &&
          m.messages.every((x) => x.type === 'snapshot'),
        5000,
      )
    } finally {
      await Promise.all([slow.close(), fast.close()])
      await server.close()
    }
  }, 20_000)

  it('an SSE reader that stops reading gets no more deltas until it drains, then snapshots', async () => {
    const symbols = generateSymbols(100)
    const server = await createFeedServer({
      port: 0,
      tickHz: 0,
      symbols,
      updateShare: 1,
      slowClientBytes: 32 * 1024,
    })
    let res: IncomingMessage | undefined
    try {
      res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(`${server.sseUrl}?symbols=${symbols.join(',')}`, resolve)
        req.on('error', reject)
        req.end()
      })
      res.setEncoding('utf8')
      res.pause()
      // About 13 KB of deltas per step: enough steps to fill the kernel's buffers many times over.
      for (let i = 0; i < 800 && server.stats().skippedFrames < 20; i++) {
        server.tick()
        await new Promise((resolve) => setImmediate(resolve))
      }
      const stats = server.stats()
      expect(stats.slowClients).toBe(1)
      expect(stats.skippedFrames).toBeGreaterThanOrEqual(20)
      // The bound plus one step's write (about 13 KB).
      expect(stats.maxBufferedBytes).toBeLessThan(32 * 1024 + 16 * 1024)

      let text = ''
      res.on('data', (chunk: string) => (text += chunk))
      res.resume()
      const snapshotsAfterResume = () => text.split('"type":"snapshot"').length - 1
      const deadline = Date.now() + 5000
      // 100 at the start, then 100 more once the backlog drained.
      while (snapshotsAfterResume() < 200 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10))
      expect(snapshotsAfterResume()).toBe(200)
      expect(server.stats().slowClients).toBe(0)
    } finally {
      res?.destroy()
      await server.close()
    }
  }, 20_000)
})
