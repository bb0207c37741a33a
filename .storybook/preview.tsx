import type { Decorator, Preview } from '@storybook/react-vite'
import { StrictMode, useEffect, type ReactNode } from 'react'
import '../src/components/styles.css'
import '../stories/stories.css'

type Theme = 'light' | 'dark'

/** Sets `data-tw-theme` on <html>, so portalled tooltips follow the theme too. */
function ThemeRoot({ theme, children }: { theme: Theme; children: ReactNode }) {
  useEffect(() => {
    const root = document.documentElement
    root.dataset['twTheme'] = theme
    document.body.style.background = theme === 'dark' ? '#0d1117' : '#ffffff'
    return () => {
      delete root.dataset['twTheme']
      document.body.style.background = ''
    }
  }, [theme])
  return children
}

const withTheme: Decorator = (Story, context) => (
  <ThemeRoot theme={context.globals['theme'] === 'dark' ? 'dark' : 'light'}>
    <Story />
  </ThemeRoot>
)

/** StrictMode around every story: double effects must not open two sockets. */
const withStrictMode: Decorator = (Story) => (
  <StrictMode>
    <div className="sb-page">
      <Story />
    </div>
  </StrictMode>
)

const preview: Preview = {
  decorators: [withStrictMode, withTheme],
  globalTypes: {
    theme: {
      description: 'Colour scheme of the components',
      toolbar: { title: 'Theme', icon: 'contrast', items: ['light', 'dark'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'padded',
    controls: { expanded: true, sort: 'requiredFirst' },
    // The a11y panel fails a story on violations, like the e2e test does.
    a11y: { test: 'error' },
  },
}

export default preview
