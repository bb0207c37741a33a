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
} satisfies UserConfig

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
    // The React entry: a client module for React Server Components bundlers.
    entry: { index: 'src/index.ts' },
    platform: 'browser',
    banner: { js: "'use client';" },
    copy: [{ from: 'src/components/styles.css', to: 'dist' }],
  },
  {
    ...shared,
    entry: { 'server/index': 'src/server/index.ts', 'server/cli': 'src/server/cli.ts' },
    platform: 'node',
  },
])
