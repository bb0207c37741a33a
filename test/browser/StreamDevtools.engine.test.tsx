/**
 * The devtools header on the real worker and shared engines in Chromium: the engine named in
 * words and in `data-engine`, and for `shared` the tabs attached to the one SharedWorker
 * (`data-tabs`), which follows a second manager joining and leaving. No feed is needed: the
 * engines report themselves from their first frame, whatever the socket does (here it is
 * refused, port 9).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { render } from 'vitest-browser-react'
import { createStreamManager } from '../../src/core/manager'
import type { EngineOptions } from '../../src/core'
import type { StreamManager } from '../../src/core/stream-manager'
import { StreamDevtools } from '../../src/devtools'

const URL_REFUSED = 'ws://127.0.0.1:9/ws'
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn()
})

function manager(config: EngineOptions): StreamManager {
  const created = createStreamManager({
    url: URL_REFUSED,
    reconnect: { initialDelayMs: 100, maxDelayMs: 200, jitter: 0 },
    ...config,
  })
  cleanups.push(() => created.destroy())
  return created
}

/** The engine badge of the `index`th panel on the page (a test renders one or two). */
const badge = (index = 0) => document.querySelectorAll<HTMLElement>('.tw-devtools__engine')[index]

describe('StreamDevtools header on the worker engines', () => {
  it("names the worker engine of engine: 'worker'", async () => {
    const screen = await render(
      <StreamDevtools manager={manager({ engine: 'worker' })} initialOpen position="inline" />,
    )
    await expect.element(screen.getByText('worker engine')).toBeVisible()
    expect(badge()?.dataset['engine']).toBe('worker')
    expect(badge()?.dataset['tabs']).toBe('1')
  })

  it("counts the tabs of engine: 'shared' as managers join and leave its SharedWorker", async () => {
    const sharedName = `devtools-engine-${Math.random().toString(36).slice(2)}`
    const first = manager({ engine: 'shared', sharedName })
    await render(<StreamDevtools manager={first} initialOpen position="inline" refreshMs={50} />)
    await expect.poll(() => badge()?.textContent, { timeout: 5_000 }).toBe('shared engine · 1 tab')
    expect(badge()?.dataset['engine']).toBe('shared')

    // A second manager on the same name attaches to the same SharedWorker, as a tab would.
    const second = manager({ engine: 'shared', sharedName })
    await render(<StreamDevtools manager={second} initialOpen position="inline" refreshMs={50} />)
    await expect.poll(() => badge(1)?.dataset['tabs'], { timeout: 5_000 }).toBe('2')
    expect(badge(1)?.textContent).toBe('shared engine · 2 tabs')
    // The first learns the count from its next frame; a reconnect makes one.
    first.reconnect()
    await expect.poll(() => badge(0)?.dataset['tabs'], { timeout: 5_000 }).toBe('2')

    second.destroy()
    first.reconnect()
    await expect.poll(() => badge(0)?.dataset['tabs'], { timeout: 5_000 }).toBe('1')
  })
})
