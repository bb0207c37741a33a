/**
 * The `tickwire` (PriceFlash cells) and `tickwire-hooks` (`usePrice` cells) variants on the
 * worker engines (src/core/engine), kept apart from build.ts so the variant list there changes
 * by one line: pages page/tickwire-worker.tsx, page/tickwire-shared.tsx and their `-hooks`
 * twins (page/hooksBoard.tsx).
 */
export const ENGINE_VARIANTS = [
  'tickwire-worker',
  'tickwire-shared',
  'tickwire-worker-hooks',
  'tickwire-shared-hooks',
] as const

/** One of ENGINE_VARIANTS. */
export type EngineVariant = (typeof ENGINE_VARIANTS)[number]

/** What each engine variant is called in tables. */
export const ENGINE_VARIANT_LABEL = {
  'tickwire-worker': "tickwire PriceFlash (engine: 'worker')",
  'tickwire-shared': "tickwire PriceFlash (engine: 'shared')",
  'tickwire-worker-hooks': "tickwire usePrice board (engine: 'worker')",
  'tickwire-shared-hooks': "tickwire usePrice board (engine: 'shared')",
} as const

/** The same cells on the main-thread engine: what issue 14's goals hold each engine variant to. */
export const MAIN_THREAD_TWIN = {
  'tickwire-worker': 'tickwire',
  'tickwire-shared': 'tickwire',
  'tickwire-worker-hooks': 'tickwire-hooks',
  'tickwire-shared-hooks': 'tickwire-hooks',
} as const satisfies Record<EngineVariant, string>
