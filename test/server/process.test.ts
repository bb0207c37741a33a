import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { EventSource } from 'eventsource'
import { afterEach, describe, expect, it } from 'vitest'
import { createFeedServer, type FeedServer } from '../../src/server'
import { connect, type TestClient } from './client'

const children: ChildProcess[] = []
const clients: TestClient[] = []
let blocker: FeedServer | undefined

/** Runs a TypeScript file in a fresh Node through tsx's loader (one process: signals reach it). */
function runTs(file: string, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  return child
}

function lines(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]()
}

async function lineMatching(
  iterator: AsyncIterator<string>,
  pattern: RegExp,
): Promise<RegExpMatchArray> {
  for (;;) {
    const next = await iterator.next()
    if (next.done) throw new Error(`output ended before ${pattern}`)
    const match = pattern.exec(next.value)
    if (match) return match
  }
}

function exited(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ code: number | null; ms: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve({ code: child.exitCode, ms: 0 })
    const timer = setTimeout(
      () => reject(new Error(`child ${child.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    )
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, ms: Date.now() - started })
    })
  })
}

/** A port that was free a moment ago (npm start needs a fixed one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate()
  // Stop by PID whatever a failed test left running: SIGTERM first, so that npm start stops
  // its own children, then SIGKILL for anything that did not listen.
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue
    child.kill('SIGTERM')
    await exited(child, 3000).catch(() => child.kill('SIGKILL'))
  }
  await blocker?.close()
  blocker = undefined
})

describe('feed server processes', () => {
  it('close() leaves no handle: a process that closes its server exits on its own', async () => {
    const child = runTs('test/server/fixtures/closeChild.ts')
    const out = lines(child)
    const urls = JSON.parse((await lineMatching(out, /^\{.*"url".*\}$/))[0]) as Record<
      string,
      string
    >
    const reader = await connect(urls.url as string)
    const stalled = await connect(urls.url as string)
    clients.push(reader, stalled)
    reader.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD', 'ETH-USD'] })
    stalled.send({ type: 'subscribe', id: 1, symbols: ['BTC-USD'] })
    await stalled.waitFor((m) => m.type === 'snapshot')
    // This one never reads again, so it never answers the close frame: the server must terminate it.
    stalled.ws.pause()
    // A keep-alive REST connection left idle, and an open SSE stream.
    expect((await fetch(`${urls.restUrl}/health`)).status).toBe(200)
    const es = new EventSource(`${urls.sseUrl}?symbols=AAPL`)
    try {
      const closed = JSON.parse((await lineMatching(out, /^\{"closedInMs".*\}$/))[0]) as {
        closedInMs: number
      }
      const exit = await exited(child, 5000)
      expect(exit.code).toBe(0)
      expect(await reader.closed).toBe(1001)
      expect(closed.closedInMs).toBeLessThan(2000)
      // Exited on its own, well before the 5 s limit.
      expect(exit.ms).toBeLessThan(3000)
    } finally {
      es.close()
    }
  }, 20_000)

  it('tickwire-feed starts, prints its URLs, answers /health and stops on SIGTERM', async () => {
    const child = runTs('src/server/cli.ts', [
      '--port',
      '0',
      '--hz',
      '5',
      '--seed',
      '3',
      '--symbols',
      'BTC-USD,AAPL',
    ])
    const out = lines(child)
    const [, url] = await lineMatching(out, /WebSocket (ws:\/\/\S+)/)
    const [, rest] = await lineMatching(out, /REST\s+(http:\/\/[^/\s]+)/)
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/)
    const health = (await (await fetch(`${rest}/health`)).json()) as Record<string, unknown>
    expect(health).toMatchObject({ status: 'ok', symbols: 2 })
    const client = await connect(url as string)
    clients.push(client)
    client.send({ type: 'subscribe', id: 1, symbols: ['AAPL'] })
    await client.waitFor((m) => m.type === 'snapshot')
    child.kill('SIGTERM')
    const exit = await exited(child, 5000)
    expect(exit.code).toBe(0)
    expect(await client.closed).toBe(1001)
  }, 20_000)

  it('tickwire-feed says clearly when the port is taken and exits 1', async () => {
    blocker = await createFeedServer({ port: 0, tickHz: 0 })
    const child = runTs('src/server/cli.ts', ['--port', String(blocker.port)])
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exit = await exited(child, 10_000)
    expect(exit.code).toBe(1)
    expect(stderr).toContain(`port ${blocker.port}`)
    expect(stderr).toContain('already in use')
  }, 20_000)

  it('npm start runs the feed, and one SIGINT stops it and itself', async () => {
    const port = await freePort()
    const child = spawn(
      process.execPath,
      ['scripts/start.mjs', '--port', String(port), '--no-storybook'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    children.push(child)
    const out = lines(child)
    await lineMatching(out, new RegExp(`\\[feed\\]\\s+WebSocket ws://127\\.0\\.0\\.1:${port}/ws`))
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
    child.kill('SIGINT')
    expect((await exited(child, 8000)).code).toBe(0)
    // The feed child is gone too: its port is free again.
    await expect(freePortIs(port)).resolves.toBe(true)
  }, 20_000)

  it('npm start says clearly when the port is taken', async () => {
    blocker = await createFeedServer({ port: 0, tickHz: 0 })
    const child = spawn(
      process.execPath,
      ['scripts/start.mjs', '--port', String(blocker.port), '--no-storybook'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    children.push(child)
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    expect((await exited(child, 8000)).code).toBe(1)
    expect(stderr).toContain(`port ${blocker.port}`)
    expect(stderr).toContain('already in use')
  }, 20_000)
})

function freePortIs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}
