/**
 * A real `redis-server` for tests (Debian's package; `node scripts/redis.mjs` finds or installs
 * it): started on a free loopback port without persistence, waited for until it answers, and
 * stopped by its PID. `stop()` then `start()` again keeps the port, as a restarted Redis
 * behind a fixed address would.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, createServer } from 'node:net'

export interface RedisServer {
  readonly port: number
  /** `redis://127.0.0.1:<port>` */
  readonly url: string
  /** PID of the running server (undefined while stopped). */
  readonly pid: number | undefined
  /** Starts it again on the same port (after `stop()`). */
  start(): Promise<void>
  /** Kills it (SIGKILL, as a crash) and waits for the process to end. */
  stop(): Promise<void>
}

const BINARY = process.env['REDIS_SERVER_PATH'] ?? '/usr/bin/redis-server'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Resolves once `PING` gets `+PONG` on the port (the server loads nothing, so this is fast). */
async function waitForPong(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`)
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.once('data', (data) => {
        socket.destroy()
        resolve(data.toString().startsWith('+PONG'))
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server did not answer on port ${port} in ${timeoutMs} ms`)
}

/** Starts a redis-server on a free port. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn(
      BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    await waitForPong(port, child)
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid
    },
    start,
    async stop() {
      const running = child
      child = undefined
      if (!running || running.exitCode !== null) return
      const exited = new Promise((resolve) => running.once('exit', resolve))
      running.kill('SIGKILL')
      await exited
    },
  }
}
