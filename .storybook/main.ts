import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  framework: {
    name: '@storybook/react-vite',
    // Every story renders twice-mounted effects, as apps in development do.
    options: { strictMode: true },
  },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  // No outside calls: no telemetry (and `--no-version-updates` in the npm scripts).
  core: { disableTelemetry: true },
  typescript: {
    // Reads the TSDoc of props declared in other files and through forwardRef, which the
    // default react-docgen does not follow.
    reactDocgen: 'react-docgen-typescript',
    reactDocgenTypescriptOptions: {
      shouldExtractLiteralValuesFromEnum: true,
      // Only our own props: not the hundreds of inherited HTML attributes.
      propFilter: (prop) => !prop.parent || !prop.parent.fileName.includes('node_modules'),
    },
  },
}

export default config
