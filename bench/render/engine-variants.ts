/**
 * The `tickwire` variant on the worker engines (src/core/engine), kept apart from build.ts so
 * the variant list there changes by one line: pages page/tickwire-worker.tsx and
 * page/tickwire-shared.tsx.
 */
export const ENGINE_VARIANTS = ['tickwire-worker', 'tickwire-shared'] as const

/** What each engine variant is called in tables. */
export const ENGINE_VARIANT_LABEL = {
  'tickwire-worker': "tickwire (engine: 'worker')",
  'tickwire-shared': "tickwire (engine: 'shared')",
} as const
