// `npm test`: every check CI runs, in order, stopping at the first failure.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ensureChromium } from './chromium.mjs'
import { ensureRedis } from './redis.mjs'

const env = { ...process.env, CHROMIUM_PATH: ensureChromium(), REDIS_SERVER_PATH: ensureRedis() }
const started = Date.now()

function step(name, cmd, args) {
  const t0 = Date.now()
  console.log(`\n[test] ${name}: ${cmd} ${args.join(' ')}`)
  const result = spawnSync(cmd, args, { stdio: 'inherit', env })
  const secs = ((Date.now() - t0) / 1000).toFixed(1)
  if (result.status !== 0) {
    console.error(`[test] ${name} failed after ${secs}s (exit ${result.status ?? result.signal})`)
    process.exit(result.status ?? 1)
  }
  console.log(`[test] ${name} passed in ${secs}s`)
}

const npx = (bin, ...args) => ['node', [`node_modules/.bin/${bin}`, ...args]]

// Vitest's JSON report beside its usual output, so the run can end on one plain count.
const reports = []
function report(name) {
  mkdirSync('.cache', { recursive: true })
  const file = join('.cache', `vitest-${name}.json`)
  rmSync(file, { force: true })
  reports.push(file)
  return ['--reporter=default', '--reporter=json', `--outputFile.json=${file}`]
}

step('typecheck', ...npx('tsc', '--noEmit'))
step('lint', ...npx('eslint', '.'))
step('format', ...npx('prettier', '--check', '.'))
// The package check removes dist/ and packs, so `prepack` builds it as on a clean clone.
step('build and package checks (prepack, declared imports, publint, are-the-types-wrong)', 'npm', [
  'run',
  '-s',
  'check:package',
])
step('size budgets', ...npx('size-limit'))
step('audit of runtime dependencies', 'node', ['scripts/audit.mjs'])
const hasStorybook = existsSync('.storybook/main.ts')
if (hasStorybook) step('build-storybook', 'npm', ['run', '-s', 'build-storybook'])
// `package` installs the packed tarball into a fresh Vite app, so it needs the build above.
const projects = ['node', 'jsdom', 'browser', 'package', ...(hasStorybook ? ['e2e'] : [])]
step(
  'vitest (React 19)',
  ...npx('vitest', 'run', ...projects.flatMap((p) => ['--project', p]), ...report('react19')),
)
// The same React-facing suites on the other supported major (installed into .cache/react18).
step('vitest (React 18: jsdom, browser, package)', 'node', [
  'scripts/react18.mjs',
  ...report('react18'),
])
console.log(`\n[test] all steps passed in ${((Date.now() - started) / 1000).toFixed(0)}s`)
let passed = 0
let failed = 0
let skipped = 0
for (const file of reports) {
  const counts = JSON.parse(readFileSync(file, 'utf8'))
  passed += counts.numPassedTests
  failed += counts.numFailedTests
  skipped += counts.numPendingTests + counts.numTodoTests
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
