/**
 * Builds the bench pages with Vite (production React, but through `react-dom/profiling`
 * so `<Profiler onRender>` reports commits; every React variant pays the same small cost).
 */
import react from '@vitejs/plugin-react'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { ENGINE_VARIANT_LABEL, ENGINE_VARIANTS } from './engine-variants'

export const VARIANTS = [
  'tickwire',
  'tickwire-fade',
  'tickwire-hooks',
  'rws',
  'naive',
  'vanilla',
  'vanilla-fade',
  ...ENGINE_VARIANTS,
] as const
export type Variant = (typeof VARIANTS)[number]

/** What each variant is called in tables. */
export const VARIANT_LABEL: Record<Variant, string> = {
  tickwire: 'tickwire PriceFlash (step)',
  'tickwire-fade': 'tickwire PriceFlash (fade)',
  'tickwire-hooks': 'tickwire usePrice board',
  rws: 'react-use-websocket',
  naive: 'naive',
  vanilla: 'vanilla (step)',
  'vanilla-fade': 'vanilla (fade)',
  ...ENGINE_VARIANT_LABEL,
}

/** The hand-written page drawing the same flash as a variant: what its frame rate is held to. */
export const SAME_FLASH_VANILLA: Record<Variant, Variant> = {
  tickwire: 'vanilla',
  'tickwire-fade': 'vanilla-fade',
  'tickwire-hooks': 'vanilla',
  rws: 'vanilla',
  naive: 'vanilla',
  vanilla: 'vanilla',
  'vanilla-fade': 'vanilla-fade',
  // The engine pages draw the default (step) flash, PriceFlash's or cells.tsx's.
  'tickwire-worker': 'vanilla',
  'tickwire-shared': 'vanilla',
  'tickwire-worker-hooks': 'vanilla',
  'tickwire-shared-hooks': 'vanilla',
}

const here = dirname(fileURLToPath(import.meta.url))

export async function buildPages(outDir: string): Promise<void> {
  const root = join(here, 'page')
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    resolve: { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] },
    build: {
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      // BENCH_NO_MINIFY=1 keeps names readable in CPU profiles of the pages.
      minify: process.env.BENCH_NO_MINIFY !== '1',
      rollupOptions: {
        input: Object.fromEntries(VARIANTS.map((v) => [v, join(root, `${v}.html`)])),
      },
    },
  })
}
