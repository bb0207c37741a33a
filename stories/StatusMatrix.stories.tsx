import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import {
  ConnectionIndicator,
  ConnectionStatus,
  STATUS_KINDS,
  STATUS_LABELS,
} from '../src/components'
import { stateFixtures } from './fixtures'

/** Every state in every form, in one theme. */
function Matrix({ theme }: { theme: 'light' | 'dark' }) {
  const [now] = useState(() => Date.now())
  const fixtures = stateFixtures(now)
  return (
    <div className="sb-theme-panel" data-tw-theme={theme}>
      <table className="sb-matrix">
        <caption style={{ textAlign: 'left', fontWeight: 600, paddingBottom: 8 }}>
          {theme === 'dark' ? 'Dark' : 'Light'}
        </caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">data-status</th>
            <th scope="col">ConnectionStatus</th>
            <th scope="col">compact</th>
            <th scope="col">Indicator</th>
          </tr>
        </thead>
        <tbody>
          {STATUS_KINDS.map((kind) => {
            const connections = { default: fixtures[kind] }
            return (
              <tr key={kind}>
                <th scope="row">{STATUS_LABELS[kind]}</th>
                <td>
                  <code>{kind}</code>
                </td>
                <td>
                  <ConnectionStatus connections={connections} />
                </td>
                <td>
                  <ConnectionStatus connections={connections} compact />
                </td>
                <td>
                  <ConnectionIndicator connections={connections} pulse={false} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

const meta = {
  title: 'Components/State matrix',
  parameters: {
    docs: {
      description: {
        component:
          'All six states side by side: the pill, the compact pill and the indicator dot, in ' +
          'the light and dark schemes. Each state differs by text and by the dot’s shape, not ' +
          'by colour alone.',
      },
    },
  },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

export const AllStates: Story = {
  render: () => (
    <div className="sb-row" style={{ alignItems: 'flex-start' }}>
      <Matrix theme="light" />
      <Matrix theme="dark" />
    </div>
  ),
}
