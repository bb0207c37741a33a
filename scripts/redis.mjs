// Finds a redis-server for the Redis tests and the fan-out bench, or installs one, and says
// which it uses. Order: $REDIS_SERVER_PATH, Debian's /usr/bin/redis-server, one on PATH; then,
// as root with apt, Debian's redis-server package (`apt-get install -y redis-server`, Redis 7;
// it starts no daemon in a container). The tests start and stop their own servers.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

function onPath() {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' })
  const path = found.status === 0 ? found.stdout.trim() : ''
  return path || undefined
}

function find() {
  const fromEnv = process.env.REDIS_SERVER_PATH
  if (fromEnv && existsSync(fromEnv)) return { path: fromEnv, how: 'REDIS_SERVER_PATH' }
  if (existsSync('/usr/bin/redis-server'))
    return { path: '/usr/bin/redis-server', how: "Debian's redis-server" }
  const path = onPath()
  return path ? { path, how: 'PATH' } : undefined
}

function run(cmd, args) {
  console.log(`[redis] $ ${cmd} ${args.join(' ')}`)
  const result = spawnSync(cmd, args, { stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`)
}

/** Returns the path of a usable redis-server, installing Debian's package when allowed. */
export function ensureRedis() {
  const found = find()
  if (found) {
    console.log(`[redis] using ${found.path} (${found.how})`)
    return found.path
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (!isRoot || !hasApt) {
    throw new Error(
      '[redis] no redis-server found and cannot install one here (needs root and apt-get).\n' +
        '  Install Redis 7 (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)\n' +
        '  or set REDIS_SERVER_PATH to a redis-server binary. The tests start their own servers.',
    )
  }
  console.log("[redis] none found: installing Debian's redis-server package with apt-get")
  run('apt-get', ['update', '-qq'])
  run('apt-get', ['install', '-y', '-qq', 'redis-server'])
  const installed = find()
  if (!installed) throw new Error('[redis] apt-get installed redis-server but it is not on PATH')
  console.log(`[redis] using ${installed.path}`)
  return installed.path
}

if (import.meta.url === `file://${process.argv[1]}`) ensureRedis()
