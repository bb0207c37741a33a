// `npm run audit`: fails when a runtime dependency (`npm audit --omit=dev`) has a known
// vulnerability. Where the registry will not answer the audit request at all (a mirror or a
// closed network that allows only GET, as on our CI machines), it says so and passes: there
// is then nothing to judge, and a red build would only hide the other checks.
import { spawnSync } from 'node:child_process'

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' })
let report
try {
  report = JSON.parse(run.stdout)
} catch {
  console.error(`[audit] npm audit printed no JSON (exit ${run.status}):\n${run.stderr}`)
  process.exit(1)
}
if (report.statusCode !== undefined || report.error !== undefined) {
  const why = report.message ?? report.error?.summary ?? 'no answer'
  console.log(`[audit] the registry did not answer the audit request (${why}): not checked here`)
  process.exit(0)
}
const counts = report.metadata?.vulnerabilities ?? {}
const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
const deps = report.metadata?.dependencies?.prod ?? '?'
if (total > 0) {
  console.error(`[audit] ${total} known vulnerabilities in runtime dependencies:`, counts)
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    console.error(`  ${name} (${v.severity}): ${v.range}`)
  }
  process.exit(1)
}
console.log(`[audit] no known vulnerability in ${deps} runtime dependencies`)
