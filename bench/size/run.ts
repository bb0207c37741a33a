/**
 * Part 3, bundle size. Run: `node --import tsx bench/size/run.ts` (or `npm run bench --
 * --only=size`). Builds `dist/` first when it is missing or older than `src/` (`--no-build`
 * skips that), runs the size-limit budgets of package.json (`npm run size`), and measures
 * tickwire's entries and react-use-websocket the same way through size-limit's own API: its
 * esbuild bundle of `import *` from the entry, minified, peers left out, then gzip and
 * brotli.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import sizeLimit from 'size-limit'
import smallLib from '@size-limit/preset-small-lib'
import { describeMachine, machineInfo } from '../lib/machine'
import { flags, fmt, ratio, table, writeResults } from '../lib/stats'

const args = flags()
const cwd = process.cwd()
const require = createRequire(join(cwd, 'package.json'))

interface Budget {
  name: string
  path: string
  import?: string
  limit?: string
  ignore?: string[]
}

interface PackageJson {
  'size-limit': Budget[]
}

/** Newest modification time under a folder (source files only), in ms. */
function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

function ensureBuild(budgets: Budget[]): void {
  const outputs = budgets.map((b) => join(cwd, b.path))
  const stale = outputs.some(
    (p) => !existsSync(p) || statSync(p).mtimeMs < newest(join(cwd, 'src')),
  )
  if (!stale) return
  if (args.has('no-build')) {
    console.log('dist/ is missing or older than src/, and --no-build was given: sizes may be stale')
    return
  }
  console.log('dist/ is missing or older than src/: running npm run build')
  const result = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
  if (result.status !== 0) throw new Error('npm run build failed')
}

interface SizeRow {
  name: string
  gzip: number
  brotli: number
  limit?: string
}

/** Sizes of `import *` from `entry` (an absolute path), minified, `ignore` left out. */
async function measure(name: string, entry: string, ignore: string[]): Promise<SizeRow> {
  const check = (compression: 'gzip' | 'brotli') => ({
    name,
    files: [entry],
    import: { [entry]: '*' },
    ignore,
    ...(compression === 'gzip' ? { gzip: true } : { brotli: true }),
  })
  const [gzip, brotli] = await sizeLimit(smallLib, { checks: [check('gzip'), check('brotli')] })
  return { name, gzip: gzip?.size ?? Number.NaN, brotli: brotli?.size ?? Number.NaN }
}

/** The budgets as `npm run size` checks them (pass or fail), from size-limit's JSON output. */
function budgetsResult(): { name: string; passed: boolean; size: number }[] | null {
  const result = spawnSync('npx', ['size-limit', '--json'], { encoding: 'utf8' })
  try {
    return JSON.parse(result.stdout) as { name: string; passed: boolean; size: number }[]
  } catch {
    console.log(
      `size-limit --json printed no JSON (exit ${result.status}): ${result.stderr.slice(0, 300)}`,
    )
    return null
  }
}

async function main(): Promise<void> {
  const machine = machineInfo()
  console.log(`\n## 3. Bundle size\n${describeMachine(machine)}`)
  const pkg = require('./package.json') as PackageJson
  const budgets = pkg['size-limit']
  ensureBuild(budgets)

  const rows: SizeRow[] = []
  for (const b of budgets) {
    const row = await measure(b.name, join(cwd, b.path), b.ignore ?? [])
    if (b.limit !== undefined) row.limit = b.limit
    rows.push(row)
  }
  // react-use-websocket's entry as installed (CommonJS), its peers (react, react-dom) left out.
  const rws = await measure(
    'react-use-websocket 4.13 (all exports, without peers)',
    require.resolve('react-use-websocket'),
    ['react', 'react-dom'],
  )
  rows.push(rws)

  const full = rows.find((r) => r.name.startsWith('tickwire (React'))
  console.log(
    '\n' +
      table(
        [
          'bundle (minified, import *)',
          'gzip B',
          'brotli B',
          'budget (size-limit)',
          'gzip vs react-use-websocket',
        ],
        rows.map((r) => [
          r.name,
          fmt(r.gzip),
          fmt(r.brotli),
          r.limit ?? '-',
          ratio(r.gzip / rws.gzip),
        ]),
      ),
  )
  const checked = budgetsResult()
  if (checked) {
    console.log(
      '\nnpm run size (budgets; size-limit 12 measures brotli unless a check sets `gzip: true`):\n' +
        checked
          .map((c) => `  ${c.passed ? 'ok  ' : 'OVER'} ${c.name}: ${fmt(c.size)} B`)
          .join('\n'),
    )
  }
  if (full) {
    console.log(
      `\ntickwire with React layer and components is ${ratio(full.gzip / rws.gzip)} react-use-websocket gzipped; ` +
        'it also holds the store, throttle, reconnect, fallback polling and the components react-use-websocket leaves to the app.',
    )
  }
  const path = writeResults('size', { machine, rows, budgets: checked })
  console.log(`\nraw results: ${path}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
