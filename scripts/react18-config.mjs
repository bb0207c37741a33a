// Vitest settings that swap React 19 (the project's) for the React 18 that scripts/react18.mjs
// installs into a prefix of its own. vitest.config.ts applies them only when
// TICKWIRE_REACT18_PREFIX is set, so an ordinary run is untouched. Types: react18-config.d.mts.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Aliases for `react`, `react-dom` and every subpath (`react/jsx-runtime`, `react-dom/client`,
 * `react-dom/server`, …) into `prefix/node_modules`, or `undefined` without a prefix.
 *
 * An alias only applies to what Vite resolves, and Vitest leaves dependencies to Node: a
 * library such as @testing-library/react would still find React 19 in node_modules and a test
 * would run two Reacts ("A React Element from an older version of React was rendered"). So
 * every library that imports React is inlined (resolved by Vite). React 18 itself stays
 * external: react-dom in the prefix finds the prefix's react through Node, the very file the
 * alias points at, so there is one React.
 *
 * @param {string | undefined} prefix
 */
export function react18Overrides(prefix) {
  if (!prefix) return undefined
  const modules = join(prefix, 'node_modules')
  return {
    resolve: {
      alias: [
        // Its `main` is CommonJS, whose require() calls Node answers, not Vite: take the ESM build.
        {
          find: /^@testing-library\/react$/,
          replacement: fileURLToPath(
            import.meta.resolve('@testing-library/react/dist/@testing-library/react.esm.js'),
          ),
        },
        { find: /^react-dom(\/.*)?$/, replacement: `${modules}/react-dom$1` },
        { find: /^react(\/.*)?$/, replacement: `${modules}/react$1` },
      ],
      dedupe: ['react', 'react-dom'],
    },
    inline: [
      /@testing-library\/react/,
      /@tanstack\/react-query/,
      /@radix-ui\//,
      /@floating-ui\/react-dom/,
      /zustand/,
      /vitest-browser-react/,
    ],
  }
}
