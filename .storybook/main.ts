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
      // Gives each prop its tags, so the filter below can read `@defaultValue`.
      shouldIncludePropTagMap: true,
      propFilter: (prop) => {
        // The parser fills the Default column from `@default` only, and our TSDoc uses the
        // standard `@defaultValue`: copy it over, or the docs table shows "-" everywhere.
        const tag = (prop.tags as Record<string, string> | undefined)?.['defaultValue']
        if (tag !== undefined && !prop.defaultValue) prop.defaultValue = { value: tag }
        // Only our own props: not the hundreds of inherited HTML attributes.
        return !prop.parent || !prop.parent.fileName.includes('node_modules')
      },
    },
  },
}

export default config
