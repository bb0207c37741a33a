import { render, screen } from '@testing-library/react'
import { version as reactVersion, useSyncExternalStore } from 'react'
import { version as domVersion } from 'react-dom'
import { describe, expect, it } from 'vitest'
import { PriceFlash } from '../../src/components'

// `scripts/react18.mjs` sets TICKWIRE_REACT_MAJOR=18; an ordinary run uses the project's 19.
const expectedMajor = process.env['TICKWIRE_REACT_MAJOR'] ?? '19'

describe('React version under test', () => {
  it(`runs on React ${expectedMajor} with one copy of React for the library and the test`, () => {
    console.log(`[react-version] react ${reactVersion}, react-dom ${domVersion}`)
    expect(reactVersion.split('.')[0]).toBe(expectedMajor)
    expect(domVersion).toBe(reactVersion)

    // A hook from this test's React rendered by testing-library's react-dom: two copies of
    // React would throw "Invalid hook call" here.
    function Probe() {
      const value = useSyncExternalStore(
        () => () => {},
        () => 'one react',
      )
      return (
        <p>
          {value} <PriceFlash value={1.5} />
        </p>
      )
    }
    render(<Probe />)
    expect(screen.getByText(/one react/)).toBeInTheDocument()
  })
})
