/**
 * Shared by the engine tests (test/e2e/engine-*.test.ts): builds test/engine/page with Vite
 * (the worker entry goes through Vite's `new Worker(new URL(…, import.meta.url))` handling, as
 * in an app), serves it on 127.0.0.1 and opens a persistent Chromium context, the kind whose
 * pages share one SharedWorker.
 */
import react from '@vitejs/plugin-react'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'vite'
import { CHROMIUM_ARGS, chromiumPath, serveStatic, type StaticServer } from '../helpers/browser'
import type { EnginePage } from './page/main'

const here = dirname(fileURLToPath(import.meta.url))

/** A built and served engine page, and a browser context to open it in. */
export interface EngineHarness {
  web: StaticServer
  context: BrowserContext
  open(init?: () => void): Promise<Page>
  /** Opens the React page (page/react.tsx) on `engine` against `feed`. */
  openReact(feed: string, engine: 'worker' | 'shared'): Promise<Page>
  close(): Promise<void>
}

/** Builds the page (production mode), serves it and launches Chromium with a fresh profile. */
export async function startHarness(): Promise<EngineHarness> {
  const outDir = mkdtempSync(join(tmpdir(), 'tickwire-engine-page-'))
  await build({
    configFile: false,
    root: join(here, 'page'),
    base: './',
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      minify: false,
      rollupOptions: {
        input: { index: join(here, 'page/index.html'), react: join(here, 'page/react.html') },
      },
    },
  })
  const web = await serveStatic(outDir)
  const profile = mkdtempSync(join(tmpdir(), 'tickwire-engine-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
  })
  return {
    web,
    context,
    async open(init) {
      const page = await context.newPage()
      if (init) await page.addInitScript(init)
      await page.goto(`${web.origin}/index.html`)
      await page.waitForFunction(() => typeof window.engine === 'object')
      return page
    },
    async openReact(feed, engine) {
      const page = await context.newPage()
      const query = new URLSearchParams({ feed, engine })
      await page.goto(`${web.origin}/react.html?${query}`)
      return page
    },
    async close() {
      await context.close()
      await web.close()
      rmSync(profile, { recursive: true, force: true })
      rmSync(outDir, { recursive: true, force: true })
    },
  }
}

/** Runs `read` in the page until `accept` holds for its result (polls every 50 ms). */
export async function until<T>(
  page: Page,
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T
  for (;;) {
    last = (await page.evaluate(read)) as T
    if (accept(last)) return last
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(last)}`)
    await new Promise((done) => setTimeout(done, 50))
  }
}

/** Polls a Node-side condition (server stats) until it holds. */
export async function eventually<T>(
  read: () => T,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (accept(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`)
    await new Promise((done) => setTimeout(done, 50))
  }
}

/**
 * A page init script (`harness.open(withoutSharedWorker)`) that removes SharedWorker, as on
 * Chrome for Android, so the shared engine falls back to leader election.
 */
export function withoutSharedWorker(): void {
  Reflect.deleteProperty(window, 'SharedWorker')
}

export type { EnginePage }
