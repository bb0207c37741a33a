import { dirname, resolve } from 'node:path'
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

const coreDir = resolve('src/core')

/**
 * The React entry reaches the core through the package's own `tickwire/core` export, so an
 * app that imports both entries loads one copy of the core. (Building both entries in one
 * pass would share a chunk, but rolldown then puts its runtime in the React entry and the
 * CJS core would require React.)
 */
const coreAsPackage = {
  name: 'tickwire:core-as-package',
  resolveId(source: string, importer: string | undefined) {
    if (!importer || !source.startsWith('.')) return null
    const target = resolve(dirname(importer), source)
    if (!importer.startsWith(coreDir) && (target === coreDir || target.startsWith(coreDir + '/'))) {
      return { id: 'tickwire/core', external: true }
    }
    return null
  },
}

export default defineConfig([
  {
    ...shared,
    // Framework-free: browsers, Node and workers.
    entry: { 'core/index': 'src/core/index.ts' },
    platform: 'neutral',
    clean: true,
  },
  {
    ...shared,
    // src/index.ts starts with 'use client'; the bundler keeps that directive on this entry.
    entry: { index: 'src/index.ts' },
    platform: 'neutral',
    plugins: [coreAsPackage],
    copy: [{ from: 'src/components/styles.css', to: 'dist' }],
  },
  {
    ...shared,
    entry: { 'server/index': 'src/server/index.ts', 'server/cli': 'src/server/cli.ts' },
    platform: 'node',
  },
])
