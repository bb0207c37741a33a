import { defineConfig } from 'tsdown'

// Each entry of API.md ships ESM and CJS with types. The React entry keeps its
// 'use client' banner; the server entry is Node-only.
export default defineConfig([
  {
    entry: { 'core/index': 'src/core/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'neutral',
    target: 'es2022',
    outDir: 'dist',
    clean: true,
  },
])
