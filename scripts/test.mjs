// `npm test`: every check CI runs, in order, stopping at the first failure.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ensureChromium } from './chromium.mjs'

const env = { ...process.env, CHROMIUM_PATH: ensureChromium() }
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

step('typecheck', ...npx('tsc', '--noEmit'))
step('lint', ...npx('eslint', '.'))
step('build', 'npm', ['run', '-s', 'build'])
step('package checks (publint, are-the-types-wrong)', 'npm', ['run', '-s', 'check:package'])
step('size budgets', ...npx('size-limit'))
const hasStorybook = existsSync('.storybook/main.ts')
if (hasStorybook) step('build-storybook', 'npm', ['run', '-s', 'build-storybook'])
const projects = ['node', 'jsdom', 'browser', ...(hasStorybook ? ['e2e'] : [])]
step('vitest', ...npx('vitest', 'run', ...projects.flatMap((p) => ['--project', p])))
console.log(`\n[test] all steps passed in ${((Date.now() - started) / 1000).toFixed(0)}s`)
