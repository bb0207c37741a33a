/** A Vite alias entry (the regex form, so subpaths keep their tail). */
export interface ReactAlias {
  find: RegExp
  replacement: string
}

/** What vitest.config.ts spreads into its config when running on React 18. */
export interface React18Overrides {
  resolve: { alias: ReactAlias[]; dedupe: string[] }
  /** Libraries that import React themselves, resolved by Vite so that they see the aliases. */
  inline: RegExp[]
}

/**
 * Vitest overrides that resolve `react` and `react-dom` (and their subpaths) into the React 18
 * installed at `prefix` by `scripts/react18.mjs`; `undefined` when `prefix` is not set.
 */
export function react18Overrides(prefix: string | undefined): React18Overrides | undefined
