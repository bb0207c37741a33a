// `npm start`: the reference feed server and Storybook together, stopped by one Ctrl-C.
//
//   npm start [-- --port 8080] [--storybook-port 6006] [--no-storybook]   (or PORT=8080 npm start)
//
// Each child runs in its own process group so that a stop reaches its own children too (Storybook
// starts Vite); the terminal's Ctrl-C reaches only this script, which stops both children by PID,
// waits for them and exits. If either child dies, the other is stopped as well.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'storybook-port': { type: 'string', default: '6006' },
    'no-storybook': { type: 'boolean', default: false },
    hz: { type: 'string', default: '10' },
  },
})

const port = Number(values.port ?? process.env.PORT ?? 8080)
const host = values.host
// A fixed port: Storybook is told the feed URL before the feed server starts.
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(
    `[start] --port must be a port number from 1 to 65535, got "${values.port ?? process.env.PORT}"`,
  )
  process.exit(1)
}
const feedUrl = `ws://${host}:${port}/ws`
const withStorybook = !values['no-storybook'] && existsSync('.storybook/main.ts')

/** Resolves when nothing listens on host:port; the message says what to do otherwise. */
function checkPortFree(p, h) {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error) => reject(error))
    probe.listen(p, h, () => probe.close(() => resolve()))
  })
}

for (const [name, p] of [
  ['feed server', port],
  ...(withStorybook ? [['Storybook', Number(values['storybook-port'])]] : []),
]) {
  try {
    await checkPortFree(p, host)
  } catch (error) {
    const reason =
      error.code === 'EADDRINUSE'
        ? 'is already in use'
        : `cannot be used (${error.code ?? error.message})`
    console.error(`[start] port ${p} on ${host} for the ${name} ${reason}.`)
    console.error(
      `[start] Stop whatever uses it, or pick another: npm start -- --port 8081 (or PORT=8081 npm start).`,
    )
    process.exit(1)
  }
}

const children = []

/** Starts a child with its output prefixed, in its own process group (not on Windows). */
function run(name, args, env = {}) {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    detached: process.platform !== 'win32',
  })
  const prefix = (stream, out) => {
    let pending = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk) => {
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) out.write(`[${name}] ${line}\n`)
    })
    stream.on('end', () => pending && out.write(`[${name}] ${pending}\n`))
  }
  prefix(child.stdout, process.stdout)
  prefix(child.stderr, process.stderr)
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const entry = { name, child, exited }
  children.push(entry)
  exited.then(({ code, signal }) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? `code ${code}`}); stopping the rest.`)
      void stopAll(code && code !== 0 ? code : 1)
    }
  })
  return entry
}

function signalChild(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    // The negative PID is the child's process group: the child and what it started.
    if (process.platform !== 'win32') process.kill(-child.pid, signal)
    else child.kill(signal)
  } catch {
    // Already gone.
  }
}

let stopping = false
async function stopAll(exitCode) {
  if (stopping) return
  stopping = true
  for (const { child } of children) signalChild(child, 'SIGTERM')
  // Whoever has not finished in 5 s is killed.
  const force = setTimeout(() => {
    for (const { name, child } of children) {
      if (child.exitCode === null && child.signalCode === null) {
        console.error(`[start] ${name} did not stop in 5 s; killing it.`)
        signalChild(child, 'SIGKILL')
      }
    }
  }, 5000)
  await Promise.all(children.map((c) => c.exited))
  clearTimeout(force)
  process.exit(exitCode)
}

process.on('SIGINT', () => void stopAll(0))
process.on('SIGTERM', () => void stopAll(0))
process.on('SIGHUP', () => void stopAll(0))

run('feed', [
  '--import',
  'tsx',
  'src/server/cli.ts',
  '--port',
  String(port),
  '--host',
  host,
  '--hz',
  values.hz,
])

if (withStorybook) {
  const sbPort = values['storybook-port']
  run(
    'storybook',
    [
      'node_modules/.bin/storybook',
      'dev',
      '--port',
      sbPort,
      '--host',
      host,
      '--no-version-updates',
      '--ci',
    ],
    {
      STORYBOOK_FEED_URL: feedUrl,
      STORYBOOK_FEED_REST_URL: `http://${host}:${port}`,
      STORYBOOK_FEED_SSE_URL: `http://${host}:${port}/stream`,
      STORYBOOK_DISABLE_TELEMETRY: '1',
    },
  )
  console.log(
    `[start] feed ${feedUrl}  ·  Storybook http://${host}:${sbPort} (live stories read the local feed)`,
  )
} else {
  console.log(
    `[start] feed ${feedUrl}${existsSync('.storybook/main.ts') ? '' : '  (no .storybook/main.ts: Storybook not started)'}`,
  )
}
console.log('[start] Ctrl-C stops everything.')
