import react from '@vitejs/plugin-react'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { CHROMIUM_ARGS } from './test/helpers/browser'
import { react18Overrides } from './scripts/react18-config.mjs'

// scripts/test.mjs finds or installs a Chromium and passes it here; the default is Debian's.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// `node scripts/react18.mjs` sets the prefix: the jsdom and browser suites then run on React 18.
const react18 = react18Overrides(process.env['TICKWIRE_REACT18_PREFIX'])

export default defineConfig({
  plugins: [react()],
  ...(react18 ? { resolve: react18.resolve } : {}),
  test: {
    ...(react18 ? { server: { deps: { inline: react18.inline } } } : {}),
    // Tests that leave a socket or timer behind must fail loudly, not hang CI.
    teardownTimeout: 5_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'test/core/**/*.test.ts',
            'test/server/**/*.test.ts',
            'test/node/**/*.test.{ts,tsx}',
            'test/reliability/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: [
            'test/react/**/*.test.{ts,tsx}',
            'test/components/**/*.test.{ts,tsx}',
            'test/reliability/**/*.test.tsx',
          ],
          setupFiles: ['test/helpers/jsdomSetup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.{ts,tsx}'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: chromium, args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        test: {
          // The packed tarball (run `npm run build` first) installed into a fresh Vite + React
          // app outside the repository, and loaded in plain Node; one install for the project.
          name: 'package',
          environment: 'node',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: {
          // Drives the built Storybook (storybook-static) in Chromium through playwright-core.
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
