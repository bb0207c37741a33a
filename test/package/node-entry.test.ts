import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runNode } from './freshApp'
import { sharedFreshApp } from './sharedFreshApp'

/**
 * The packed tarball in plain Node, as a user's server or script loads it: every entry through
 * ESM `import` and CJS `require`, and a server render of the components. The child runs with no
 * `window` and must exit by itself: a socket or timer left open would keep it alive.
 */
const app = sharedFreshApp()

/** The body both module systems run; `load` is `import` or `require`, `react*` come from it. */
const CHECKS = `
  if (typeof window !== 'undefined') throw new Error('window is defined before the test starts')
  const root = await load('tickwire')
  const core = await load('tickwire/core')
  const server = await load('tickwire/server')
  // Checked once the package exports it (TW_DEVTOOLS is set by the test from package.json).
  const devtools = process.env.TW_DEVTOOLS === '1' ? await load('tickwire/devtools') : { StreamDevtools: 0, createFrameRecorder: () => {} }
  const { createElement: h } = await load('react')
  const { renderToString } = await load('react-dom/server')
  const html = renderToString(
    h(root.StreamProvider, { url: 'ws://127.0.0.1:9/ws' },
      h(root.ConnectionStatus),
      h(root.PriceFlash, { symbol: 'BTC-USD' })),
  )
  console.log(JSON.stringify({
    // Components may be forwardRef objects: present is what counts.
    root: ['StreamProvider', 'usePriceStream', 'ConnectionStatus', 'PriceFlash', 'createStreamManager'].filter((k) => root[k] == null),
    core: ['createStreamManager', 'tickwireProtocol', 'binanceProtocol', 'createStreamStore'].filter((k) => typeof core[k] !== 'function'),
    server: ['createFeedServer', 'createMarket'].filter((k) => typeof server[k] !== 'function'),
    devtools: ['StreamDevtools', 'createFrameRecorder'].filter((k) => devtools[k] == null),
    oneCore: root.createStreamManager === core.createStreamManager,
    html,
    windowAfter: typeof window,
  }))
`

interface ChildReport {
  root: string[]
  core: string[]
  server: string[]
  devtools: string[]
  oneCore: boolean
  html: string
  windowAfter: string
}

function parseReport(stdout: string): ChildReport {
  const line = stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as ChildReport
}

const scripts = {
  'ESM import()': ['--input-type=module', '-e', `const load = (id) => import(id)\n${CHECKS}`],
  'CJS require()': [
    '--input-type=commonjs',
    '-e',
    // No top-level await in CommonJS: the same body inside an async function, `load` = require.
    `const load = async (id) => require(id)\n;(async () => {${CHECKS}})().catch((e) => { console.error(e); process.exitCode = 1 })`,
  ],
} satisfies Record<string, string[]>

describe.each(Object.entries(scripts))('tickwire in plain Node through %s', (_kind, args) => {
  it('loads every entry, server-renders the components without window and exits by itself', async () => {
    const manifest = JSON.parse(
      readFileSync(join(app.dir, 'node_modules/tickwire/package.json'), 'utf8'),
    ) as {
      exports: Record<string, unknown>
    }
    const result = await runNode(args, app.dir, {
      TW_DEVTOOLS: './devtools' in manifest.exports ? '1' : '0',
    })
    expect(result.timedOut, `the child did not exit by itself:\n${result.stderr}`).toBe(false)
    expect(result.code, result.stderr).toBe(0)
    const report = parseReport(result.stdout)
    expect(report.root, 'missing tickwire exports').toEqual([])
    expect(report.core, 'missing tickwire/core exports').toEqual([])
    expect(report.server, 'missing tickwire/server exports').toEqual([])
    expect(report.devtools, 'missing tickwire/devtools exports').toEqual([])
    // The React entry reaches the core through `tickwire/core`: one copy, one set of classes.
    expect(report.oneCore).toBe(true)
    expect(report.html).toContain('tw-connection-status')
    expect(report.html).toContain('tw-price-flash')
    expect(report.windowAfter).toBe('undefined')
  })
})
