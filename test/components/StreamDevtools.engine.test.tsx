/**
 * The panel's header says which engine runs the stream (`inspect().engine()`): the main
 * thread, a worker, or a shared engine with the number of tabs attached, as text and as
 * `data-engine` / `data-tabs`. jsdom has no Worker, so a worker engine falls back to the main
 * thread here; the real worker and shared engines are in test/browser/StreamDevtools.engine.test.tsx.
 */
import { act, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createStreamManager,
  type EngineInspection,
  type EngineOptions,
  type StreamManager,
} from '../../src/core'
import { StreamDevtools } from '../../src/devtools'
import { engineLabel } from '../../src/devtools/EngineBadge'

const managers: StreamManager[] = []
afterEach(() => {
  for (const manager of managers.splice(0)) manager.destroy()
  vi.restoreAllMocks()
})

function idleManager(config: EngineOptions = {}): StreamManager {
  const manager = createStreamManager({ url: 'ws://127.0.0.1:9/ws', autoStart: false, ...config })
  managers.push(manager)
  return manager
}

/** A real manager whose inspection reports `engine()` from a variable the test changes. */
function managerOn(engine: { current: EngineInspection }): StreamManager {
  const manager = idleManager()
  const inspect = manager.inspect.bind(manager)
  manager.inspect = () => ({ ...inspect(), engine: () => engine.current })
  return manager
}

const badge = () => document.querySelector('.tw-devtools__engine')

describe('<StreamDevtools /> engine in the header', () => {
  it('names the main thread for the default engine', () => {
    render(<StreamDevtools manager={idleManager()} initialOpen position="inline" />)
    expect(screen.getByText('main thread')).toBe(badge())
    expect(badge()).toHaveAttribute('data-engine', 'main')
    expect(badge()).toHaveAttribute('data-tabs', '1')
  })

  it("says main thread when engine: 'worker' has no Worker to run in", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    render(
      <StreamDevtools manager={idleManager({ engine: 'worker' })} initialOpen position="inline" />,
    )
    expect(warn).toHaveBeenCalledOnce()
    expect(badge()).toHaveAttribute('data-engine', 'main')
    expect(badge()).toHaveTextContent('main thread')
  })

  it('shows the tabs of a shared engine and follows them at the next refresh', async () => {
    vi.useFakeTimers()
    try {
      const engine = { current: { kind: 'shared', tabs: 2 } as EngineInspection }
      render(
        <StreamDevtools
          manager={managerOn(engine)}
          initialOpen
          position="inline"
          refreshMs={100}
        />,
      )
      expect(badge()).toHaveTextContent('shared engine · 2 tabs')
      expect(badge()).toHaveAttribute('data-engine', 'shared')
      expect(badge()).toHaveAttribute('data-tabs', '2')
      engine.current = { kind: 'shared', tabs: 3 }
      await act(() => vi.advanceTimersByTimeAsync(100))
      expect(badge()).toHaveTextContent('shared engine · 3 tabs')
      expect(badge()).toHaveAttribute('data-tabs', '3')
    } finally {
      vi.useRealTimers()
    }
  })

  it('is not rendered while the panel is closed', () => {
    render(<StreamDevtools manager={idleManager()} position="inline" />)
    expect(badge()).toBeNull()
  })
})

describe('engineLabel', () => {
  it.each([
    [{ kind: 'main', tabs: 1 }, 'main thread'],
    [{ kind: 'worker', tabs: 1 }, 'worker engine'],
    [{ kind: 'shared', tabs: 1 }, 'shared engine · 1 tab'],
    [{ kind: 'shared', tabs: 4 }, 'shared engine · 4 tabs'],
  ] as const)('%o reads %s', (engine, label) => {
    expect(engineLabel(engine)).toBe(label)
  })
})
