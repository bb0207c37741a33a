// `node scripts/react18.mjs [vitest args…]`: runs Vitest on React 18 instead of the React 19
// the project installs. React 18 and its DOM renderer go into a prefix of their own
// (.cache/react18, never into node_modules or the lock file), and TICKWIRE_REACT18_PREFIX tells
// vitest.config.ts to resolve every `react` and `react-dom` import there (scripts/react18-config.mjs).
//
// With no arguments it runs the jsdom, browser and package projects (the last needs a build).
// Examples:
//   node scripts/react18.mjs                       # jsdom + browser + package on React 18
//   node scripts/react18.mjs --project jsdom       # one project
//   node scripts/react18.mjs --install-only        # prepare the prefix (a CI cache step)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const prefix = join(root, '.cache', 'react18')
// The newest 18.x: 18.3 warns about APIs removed in 19, which is what a user on 18 sees too.
const wanted = { react: '18.3.1', 'react-dom': '18.3.1' }

function installedVersion(name) {
  const file = join(prefix, 'node_modules', name, 'package.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined
}

function ensureInstalled() {
  const missing = Object.entries(wanted).filter(
    ([name, version]) => installedVersion(name) !== version,
  )
  if (missing.length === 0) return
  mkdirSync(prefix, { recursive: true })
  // The cache holds downloads only: keep it out of git without touching the shared .gitignore.
  const ignore = join(root, '.cache', '.gitignore')
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n')
  // A package.json of its own stops npm from walking up to the repository's and installing
  // the whole project into the prefix.
  const manifest = join(prefix, 'package.json')
  if (!existsSync(manifest))
    writeFileSync(manifest, '{ "name": "tickwire-react18", "private": true }\n')
  const specs = Object.entries(wanted).map(([name, version]) => `${name}@${version}`)
  console.log(`[react18] installing ${specs.join(' ')} into ${prefix}`)
  const result = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      ...specs,
    ],
    { stdio: 'inherit', cwd: prefix },
  )
  if (result.status !== 0) process.exit(result.status ?? 1)
}

ensureInstalled()
const args = process.argv.slice(2)
if (args.includes('--install-only')) process.exit(0)

// The package project (the tarball in a fresh React 18 app) needs a build; without one it is
// left out rather than failed, so the script also serves before `npm run build`.
const built =
  existsSync(join(root, 'dist/index.js')) && existsSync(join(root, 'dist/server/index.js'))
if (!built)
  console.log('[react18] no build in dist/: the package project is left out (run `npm run build`)')
const defaults = ['jsdom', 'browser', ...(built ? ['package'] : [])].flatMap((name) => [
  '--project',
  name,
])
const vitestArgs = args.some((arg) => arg === '--project' || arg.startsWith('--project='))
  ? args
  : [...defaults, ...args]
console.log(`[react18] vitest run ${vitestArgs.join(' ')} on react ${installedVersion('react')}`)
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules/.bin/vitest'), 'run', ...vitestArgs],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, TICKWIRE_REACT18_PREFIX: prefix, TICKWIRE_REACT_MAJOR: '18' },
  },
)
process.exit(result.status ?? 1)
