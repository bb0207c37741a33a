/**
 * `npm start` as a whole, as a user runs it: the feed server and Storybook's dev server come
 * up, the Live server story in Chromium shows prices that change, and one SIGINT sent as a
 * terminal's Ctrl-C sends it (to the job's process group) stops everything: npm, its shell,
 * scripts/start.mjs, the feed, Storybook and whatever Storybook started. Every process is
 * checked by PID, from a list of the whole process tree taken while it ran.
 *
 * Storybook's dev server compiles the story on the first request, which takes most of the
 * time: about 30 s on a quiet 2-core machine, up to two minutes on a loaded one.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser'

const LIVE_SERVER_STORY = 'scenarios-live-server--local-feed-server'

/** A port that was free a moment ago (npm start needs fixed ones). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/** `pid -> [ppid, state]` for every process, from /proc (Linux). */
function processTable(): Map<number, [number, string]> {
  const table = new Map<number, [number, string]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // The command name is in parentheses and may hold spaces: read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      table.set(Number(entry), [Number(fields[1]), fields[0] ?? '?'])
    } catch {
      // It exited while we looked.
    }
  }
  return table
}

/** `root` and every process below it now. */
function treeOf(root: number): Set<number> {
  const table = processTable()
  const tree = new Set([root])
  let grew = true
  while (grew) {
    grew = false
    for (const [pid, [ppid]] of table) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid)
        grew = true
      }
    }
  }
  return tree
}

/** PIDs of `pids` still running (a zombie has ended; only its parent's bookkeeping remains). */
function stillRunning(pids: Iterable<number>): number[] {
  const table = processTable()
  return [...pids].filter((pid) => {
    const entry = table.get(pid)
    return entry !== undefined && entry[1] !== 'Z'
  })
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early (${child.exitCode})`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      if (res.ok) return
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

let browser: Browser | undefined
const seen = new Set<number>()

afterAll(async () => {
  await browser?.close()
  // Whatever a failed run left behind is stopped here, by PID.
  for (const pid of stillRunning(seen)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
})

describe('npm start', () => {
  it('serves the feed and Storybook, the Live server story shows moving prices, one SIGINT stops every process', async () => {
    const feedPort = await freePort()
    const storybookPort = await freePort()
    const output: string[] = []
    const started = Date.now()
    // Phase times, printed with the result: where the time goes on a busy machine.
    const mark = (what: string) => console.log(`[start test] ${what} at ${Date.now() - started} ms`)
    const npm = spawn(
      'npm',
      ['start', '--', '--port', String(feedPort), '--storybook-port', String(storybookPort)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, as a shell gives a job it runs in the foreground.
        detached: true,
        env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
      },
    )
    const pid = npm.pid as number
    npm.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    npm.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    const exited = once(npm, 'exit')
    // The tree grows while Storybook starts (Vite, esbuild): note every PID as it appears.
    const watch = setInterval(() => {
      for (const p of treeOf(pid)) seen.add(p)
    }, 200)
    try {
      await waitForHttp(`http://127.0.0.1:${feedPort}/health`, 20_000, npm)
      mark('feed up')
      await waitForHttp(`http://127.0.0.1:${storybookPort}/iframe.html`, 60_000, npm)
      mark('Storybook up')

      browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
      const page = await browser.newPage()
      // Storybook's dev server compiles the story on this first request: slow on a busy
      // machine, so wait for the document only, then for the table itself.
      await page.goto(
        `http://127.0.0.1:${storybookPort}/iframe.html?id=${LIVE_SERVER_STORY}&viewMode=story`,
        { waitUntil: 'domcontentloaded', timeout: 60_000 },
      )
      mark('story page loaded')
      const prices = page.locator('.sb-table tbody tr td:nth-child(2)')
      // The story probes /health, connects, and fills the table from the feed's snapshots.
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.sb-table tbody tr td:nth-child(2)')].every((td) =>
            /\d/.test(td.textContent ?? ''),
          ) && document.querySelectorAll('.sb-table tbody tr').length > 0,
        undefined,
        { timeout: 60_000 },
      )
      mark('prices shown')
      const first = await prices.allTextContents()
      // The feed moves a quarter of its symbols ten times a second: some price changes soon.
      await page.waitForFunction(
        (before) =>
          [...document.querySelectorAll('.sb-table tbody tr td:nth-child(2)')].some(
            (td, i) => td.textContent !== before[i],
          ),
        first,
        { timeout: 10_000 },
      )
      mark('prices changed')
      expect(await page.locator('.tw-connection-status').getAttribute('data-status')).toBe('live')
      await browser.close()
      browser = undefined

      for (const p of treeOf(pid)) seen.add(p)
      // npm, sh, start.mjs, the feed and Storybook at least.
      expect(seen.size).toBeGreaterThanOrEqual(4)
      clearInterval(watch)

      // One SIGINT to the job's process group: exactly what a terminal's Ctrl-C sends (npm,
      // its `sh -c` and scripts/start.mjs get it; the feed and Storybook, in groups of their
      // own, are stopped by start.mjs). A SIGINT to npm's PID alone is not enough: npm
      // forwards it to `sh`, which does not pass it on to start.mjs.
      process.kill(-pid, 'SIGINT')
      const timer = setTimeout(() => npm.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
      mark('npm exited after SIGINT')
      // A moment for the last grandchildren to be reaped.
      const deadline = Date.now() + 5_000
      while (stillRunning(seen).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(stillRunning(seen).map(commandOf), `output:\n${output.join('')}`).toEqual([])
      // And the ports are free again.
      await expect(freePortIs(feedPort)).resolves.toBe(true)
      await expect(freePortIs(storybookPort)).resolves.toBe(true)
    } finally {
      clearInterval(watch)
    }
  }, 180_000)
})

/** `pid: command line`, for a message that says what was left behind. */
function commandOf(pid: number): string {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`
  } catch {
    return `${pid}: (gone)`
  }
}

/** Whether `port` can be listened on (nothing holds it). */
function freePortIs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}
