// Finds a Chromium for the browser tests, or installs one, and says which it uses.
// Order: $CHROMIUM_PATH, Debian's /usr/bin/chromium, Playwright's cache; then install:
// Debian's package when running as root with apt, Playwright's download elsewhere.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

function fromPlaywrightCache() {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright')
  if (!existsSync(root)) return undefined
  for (const dir of readdirSync(root)
    .filter((d) => d.startsWith('chromium'))
    .sort()
    .reverse()) {
    for (const rel of [
      'chrome-linux64/chrome',
      'chrome-linux/chrome',
      'chrome-linux/headless_shell',
    ]) {
      const candidate = join(root, dir, rel)
      if (existsSync(candidate)) return candidate
    }
  }
  return undefined
}

function find() {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv && existsSync(fromEnv)) return { path: fromEnv, how: 'CHROMIUM_PATH' }
  if (existsSync('/usr/bin/chromium'))
    return { path: '/usr/bin/chromium', how: "Debian's chromium" }
  const cached = fromPlaywrightCache()
  if (cached) return { path: cached, how: "Playwright's cache" }
  return undefined
}

function run(cmd, args) {
  console.log(`[chromium] $ ${cmd} ${args.join(' ')}`)
  const result = spawnSync(cmd, args, { stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`)
}

/** Returns the path of a usable Chromium, installing one when none is found. */
export function ensureChromium() {
  const found = find()
  if (found) {
    console.log(`[chromium] using ${found.path} (${found.how})`)
    return found.path
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (isRoot && hasApt) {
    console.log("[chromium] none found: installing Debian's chromium package with apt-get")
    run('apt-get', ['update', '-qq'])
    run('apt-get', ['install', '-y', '-qq', 'chromium'])
  } else {
    console.log("[chromium] none found: installing Playwright's Chromium download")
    execFileSync(process.execPath, ['node_modules/playwright-core/cli.js', 'install', 'chromium'], {
      stdio: 'inherit',
    })
  }
  const installed = find()
  if (!installed) throw new Error('[chromium] the install finished but no Chromium was found')
  console.log(`[chromium] using ${installed.path} (${installed.how})`)
  return installed.path
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium()
