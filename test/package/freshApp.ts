/**
 * A fresh Vite + React app outside the repository with the packed tickwire tarball installed,
 * as a user gets it from `npm install tickwire`. Shared by the package tests: the global setup
 * (`test/package/globalSetup.ts`) makes one app for the whole run; a test run without it makes
 * its own.
 */
import { execFile, spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The repository root (the package being packed). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** What the package tests get: the app folder and the tarball installed into it. */
export interface FreshApp {
  /** The app's folder, outside the repository; `node_modules/tickwire` is the tarball's. */
  dir: string
  tarball: string
  /** Removes the folder (the global setup's teardown, or the test's own). */
  dispose(): void
}

/** Versions of the app's dependencies: the ones the repository resolved, so npm's cache serves them. */
function versionOf(name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8'),
  ) as {
    version: string
  }
  return manifest.version
}

/** React for the app: the repository's (19), or the newest 18 when TICKWIRE_REACT_MAJOR=18. */
function reactVersion(): string {
  return process.env['TICKWIRE_REACT_MAJOR'] === '18' ? '^18.3.1' : versionOf('react')
}

/** Runs a command, failing with its output (npm's and Vite's errors are the useful part). */
async function sh(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, {
      cwd,
      timeout: timeoutMs,
      maxBuffer: 32 * 1024 * 1024,
      env: cleanEnv(),
    })
    return stdout
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`,
      { cause: error },
    )
  }
}

/** The environment without npm's per-run variables, which would point npm back at the repository. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('npm_') && key !== 'INIT_CWD') env[key] = value
  }
  return env
}

/**
 * Packs the repository as npm would publish it. `TICKWIRE_TARBALL` skips packing (CI packs
 * once). The build must be current: `npm test` builds before it runs Vitest.
 */
async function pack(into: string): Promise<string> {
  const given = process.env['TICKWIRE_TARBALL']
  if (given) return resolve(given)
  if (
    !existsSync(join(repoRoot, 'dist/index.js')) ||
    !existsSync(join(repoRoot, 'dist/server/index.js'))
  ) {
    throw new Error('dist/ is missing or incomplete: run `npm run build` before the package tests')
  }
  // The build above is current, so no second one through `prepack`.
  const out = await sh(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', into],
    repoRoot,
    60_000,
  )
  const [entry] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[]
  if (!entry) throw new Error(`npm pack printed no file: ${out}`)
  return join(into, entry.filename)
}

const APP_FILES: Record<string, string> = {
  // Workers only from the app's own origin, as a strict site allows them: a `blob:` worker
  // (what a bundler-free inline worker would need) is refused, so the engines must load the
  // worker file the package ships.
  'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="worker-src 'self'" />
    <title>tickwire fresh app</title>
  </head>
  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>
</html>
`,
  'vite.config.js': `import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
export default defineConfig({ plugins: [react()], logLevel: 'warn' })
`,
  'src/main.tsx': `import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tickwire/styles.css'
import { App } from './App'

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>)
`,
  // The feed URL and the engine come from the page's query string, so one build serves any
  // port and every engine; the devtools panel (its own entry) says which engine runs.
  'src/App.tsx': `import { ConnectionStatus, PriceFlash, StreamProvider } from 'tickwire'
import { StreamDevtools } from 'tickwire/devtools'

const query = new URLSearchParams(location.search)
const url = query.get('feed') ?? 'ws://127.0.0.1:8080/ws'
const engine = query.get('engine')
const config =
  engine === 'worker' || engine === 'shared' ? { url, engine } : { url }

export function App() {
  return (
    <StreamProvider config={config}>
      <main>
        <PriceFlash symbol="BTC-USD" />
        <ConnectionStatus />
      </main>
      <StreamDevtools initialOpen position="inline" />
    </StreamProvider>
  )
}
`,
}

/**
 * Packs tickwire, writes a Vite + React app into a new temporary folder, installs the tarball
 * with the app's dependencies (from npm's cache when it has them) and builds the app.
 */
export async function createFreshApp(): Promise<FreshApp> {
  // realpath: macOS and some CI images put tmpdir behind a symlink, which confuses resolution.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tickwire-fresh-app-')))
  const dispose = () => rmSync(dir, { recursive: true, force: true })
  try {
    const tarball = await pack(dir)
    const manifest = {
      name: 'tickwire-fresh-app',
      private: true,
      type: 'module',
      dependencies: {
        tickwire: `file:${tarball}`,
        // TICKWIRE_REACT_MAJOR=18 (set by scripts/react18.mjs) makes it a React 18 app.
        react: reactVersion(),
        'react-dom': reactVersion(),
        zustand: versionOf('zustand'),
        '@tanstack/react-query': versionOf('@tanstack/react-query'),
        '@radix-ui/react-tooltip': versionOf('@radix-ui/react-tooltip'),
      },
      devDependencies: {
        vite: versionOf('vite'),
        '@vitejs/plugin-react': versionOf('@vitejs/plugin-react'),
      },
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
    for (const [file, text] of Object.entries(APP_FILES)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      writeFileSync(join(dir, file), text)
    }
    await sh(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      dir,
      180_000,
    )
    await sh(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build'], dir, 120_000)
    return { dir, tarball, dispose }
  } catch (error) {
    dispose()
    throw error
  }
}

/** What a child Node process did: its output, and whether it ended by itself in time. */
export interface ChildResult {
  code: number | null
  stdout: string
  stderr: string
  /** True when the child had to be killed: something kept its event loop alive. */
  timedOut: boolean
}

/**
 * Runs `node` with `args` in `cwd` and waits for it to exit by itself. A child that leaves a
 * socket or timer open never exits; after `timeoutMs` it is killed and `timedOut` is set.
 */
export function runNode(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr, timedOut })
    })
  })
}
