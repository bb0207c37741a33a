import { dirname, join, resolve } from 'node:path'
import { defineConfig, type UserConfig } from 'tsdown'

// Every entry of API.md ships ESM (.js) and CJS (.cjs) with types. Dependencies and peers
// stay external (tsdown's default), so the bundles hold only tickwire's own code.
const shared = {
  format: ['esm', 'cjs'],
  dts: true,
  target: 'es2022',
  outDir: 'dist',
  sourcemap: false,
  hash: false,
  fixedExtension: false,
} satisfies UserConfig

const src = (path: string) => resolve('src', path)
const within = (path: string, dir: string) => path === dir || path.startsWith(dir + '/')

/**
 * Entries reach each other through the package's own exports, so an app that imports several
 * entries loads one copy of the core and one React context: the React entry and devtools
 * import the core as `tickwire/core`, and devtools imports the React layer as `tickwire`.
 * (Building the entries in one pass would share chunks, but rolldown then puts its runtime in
 * the React entry and the CJS core would require React.)
 */
const selfImports = {
  name: 'tickwire:self-imports',
  resolveId(source: string, importer: string | undefined) {
    if (!importer || !source.startsWith('.')) return null
    const target = resolve(dirname(importer), source)
    if (!within(importer, src('core')) && within(target, src('core'))) {
      return { id: 'tickwire/core', external: true }
    }
    const reactSide =
      within(target, src('react')) || within(target, src('components')) || target === src('index')
    if (within(importer, src('devtools')) && reactSide) return { id: 'tickwire', external: true }
    return null
  },
}

/**
 * The engine's worker is referenced as `new Worker(new URL('./worker.ts', import.meta.url))`
 * in src/core/engine/channels.ts, the form Vite and webpack follow in source and in packages.
 * In the package the core is one bundle (dist/core/index.js) with the worker file beside it,
 * so the reference is rewritten to that shipped file.
 */
const engineWorkerUrl = {
  name: 'tickwire:engine-worker-url',
  transform(code: string, id: string) {
    if (!id.endsWith(join('src', 'core', 'engine', 'channels.ts'))) return null
    const next = code.replaceAll(
      "new URL('./worker.ts', import.meta.url)",
      "new URL('./engine-worker.js', import.meta.url)",
    )
    if (next === code) throw new Error('tickwire: the engine worker reference was not found')
    return { code: next, map: null }
  },
}

export default defineConfig([
  {
    ...shared,
    // Framework-free: browsers, Node and workers.
    entry: { 'core/index': 'src/core/index.ts' },
    platform: 'neutral',
    clean: true,
    plugins: [engineWorkerUrl],
    // The worker engines' client is a dynamic import (src/core/engine/deferred-manager.ts): its
    // chunk, and the chunk of the code it shares with the entry (core/index.js re-exports it),
    // go beside the core entry, where its `new URL('./engine-worker.js', …)` points.
    outputOptions: (options, format) => ({
      ...options,
      chunkFileNames: `core/[name].${format === 'cjs' ? 'cjs' : 'js'}`,
    }),
  },
  {
    ...shared,
    // The engine's worker (engine: 'worker' and 'shared'): one self-contained ES module with
    // its dependencies inside, so it loads as it is from any same-origin URL (`workerUrl`),
    // also under a Content-Security-Policy without `blob:`.
    entry: { 'core/engine-worker': 'src/core/engine/worker.ts' },
    format: ['esm'],
    dts: false,
    platform: 'browser',
    noExternal: [/.*/],
    minify: true,
  },
  {
    ...shared,
    // src/index.ts starts with 'use client'; the bundler keeps that directive on this entry.
    entry: { index: 'src/index.ts' },
    platform: 'neutral',
    plugins: [selfImports],
    copy: [{ from: 'src/components/styles.css', to: 'dist' }],
  },
  {
    ...shared,
    // Optional, so its own entry: an app that never imports it ships none of it.
    entry: { 'devtools/index': 'src/devtools/index.ts' },
    platform: 'neutral',
    plugins: [selfImports],
  },
  {
    ...shared,
    entry: { 'server/index': 'src/server/index.ts', 'server/cli': 'src/server/cli.ts' },
    platform: 'node',
  },
])
