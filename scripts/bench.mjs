// `npm run bench`: the benchmark parts in sequence, each in its own Node process so one
// part's heap and JIT state cannot colour the next. Flags (after `npm run bench --`):
//   --only=ingest,render,size,compression,fanout,tabs   run some parts only (default: all, in this order)
//   --quick                     shorter runs (a smoke test of the harness, not figures to publish)
// Any other flag is passed on to each part (e.g. --rounds=5).
import { spawnSync } from 'node:child_process'

const PARTS = {
  // --expose-gc: the heap figures need full collections on demand.
  ingest: ['--expose-gc', '--import', 'tsx', 'bench/ingest/run.ts'],
  render: ['--import', 'tsx', 'bench/render/run.ts'],
  size: ['--import', 'tsx', 'bench/size/run.ts'],
  compression: ['--import', 'tsx', 'bench/compression/run.ts'],
  // Feed nodes with and without Redis; needs redis-server (node scripts/redis.mjs finds it).
  fanout: ['--import', 'tsx', 'bench/fanout/run.ts'],
  // N tabs of the shared engine in one Chromium context: sockets and main-thread time per tab.
  tabs: ['--import', 'tsx', 'bench/tabs/run.ts'],
}

const args = process.argv.slice(2)
const only = args.find((a) => a.startsWith('--only='))
const wanted = only ? only.slice('--only='.length).split(',').filter(Boolean) : Object.keys(PARTS)
const passOn = args.filter((a) => !a.startsWith('--only='))

const unknown = wanted.filter((name) => !(name in PARTS))
if (unknown.length > 0) {
  console.error(
    `unknown part(s): ${unknown.join(', ')}; choose from ${Object.keys(PARTS).join(', ')}`,
  )
  process.exit(2)
}

let failed = 0
for (const name of wanted) {
  const started = Date.now()
  const result = spawnSync(process.execPath, [...PARTS[name], ...passOn], { stdio: 'inherit' })
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  if (result.status !== 0) {
    failed += 1
    console.error(
      `\n[bench] ${name} failed (exit ${result.status ?? result.signal}) after ${seconds} s`,
    )
  } else {
    console.log(`[bench] ${name} done in ${seconds} s`)
  }
}
process.exit(failed > 0 ? 1 : 0)
