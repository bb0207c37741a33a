import net from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'

/**
 * Importing an entry must do nothing but define things: no socket, no timer, no listener and
 * no write to a global. Bundlers rely on it (`sideEffects` lists only CSS), server rendering
 * relies on it, and an app that imports tickwire but renders no provider must pay nothing.
 */
const entries = {
  tickwire: () => import('../../src/index'),
  'tickwire/core': () => import('../../src/core/index'),
  'tickwire/server': () => import('../../src/server/index'),
  'tickwire/devtools': () => import('../../src/devtools/index'),
} satisfies Record<string, () => Promise<unknown>>

/** Every own property of globalThis with its value, to tell a write from a read. */
function globalsSnapshot(): Map<PropertyKey, unknown> {
  const snapshot = new Map<PropertyKey, unknown>()
  for (const key of Reflect.ownKeys(globalThis)) {
    if (isRunnerKey(key)) continue
    // Reading resolves Node's lazy globals (Blob, TextEncoder, …), which replace their getter
    // with a value on first use: a read by a module must not look like a write.
    let value: unknown
    try {
      value = Reflect.get(globalThis, key)
    } catch (error) {
      value = error
    }
    snapshot.set(key, value)
  }
  return snapshot
}

/** Vitest keeps its assertion state on global symbols and rewrites them as it likes. */
function isRunnerKey(key: PropertyKey): boolean {
  return typeof key === 'symbol' && /jest|vitest/i.test(key.description ?? '')
}

function changedGlobals(before: Map<PropertyKey, unknown>): string[] {
  const after = globalsSnapshot()
  const changed: string[] = []
  for (const [key, value] of after) {
    if (!before.has(key)) changed.push(`added ${String(key)}`)
    else if (!Object.is(before.get(key), value)) changed.push(`changed ${String(key)}`)
  }
  for (const key of before.keys()) if (!after.has(key)) changed.push(`deleted ${String(key)}`)
  return changed
}

/** A WebSocket and an EventSource that record construction, standing in for the browser's. */
const constructed: string[] = []
class RecordingWebSocket {
  constructor(url: string) {
    constructed.push(`WebSocket ${url}`)
  }
}
class RecordingEventSource {
  constructor(url: string) {
    constructed.push(`EventSource ${url}`)
  }
}

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  constructed.length = 0
})

describe.each(Object.entries(entries))('importing %s', (_name, load) => {
  it('creates no socket, timer, listener or global', async () => {
    vi.resetModules()
    // Installed before the snapshot: a module that reaches for the browser's constructors at
    // import would be caught constructing them, not by the global check.
    vi.stubGlobal('WebSocket', RecordingWebSocket)
    vi.stubGlobal('EventSource', RecordingEventSource)
    const before = globalsSnapshot()
    const spies = {
      setTimeout: vi.spyOn(globalThis, 'setTimeout'),
      setInterval: vi.spyOn(globalThis, 'setInterval'),
      setImmediate: vi.spyOn(globalThis, 'setImmediate'),
      queueMicrotask: vi.spyOn(globalThis, 'queueMicrotask'),
      addEventListener: vi.spyOn(EventTarget.prototype, 'addEventListener'),
      processOn: vi.spyOn(process, 'on'),
      processOnce: vi.spyOn(process, 'once'),
      listen: vi.spyOn(net.Server.prototype, 'listen'),
      connect: vi.spyOn(net.Socket.prototype, 'connect'),
      fetch: vi.spyOn(globalThis, 'fetch'),
    }
    // The spies themselves replace globals; take the snapshot of them as the baseline.
    const baseline = globalsSnapshot()
    for (const key of before.keys())
      if (!baseline.has(key)) throw new Error(`lost global ${String(key)}`)

    const module = await load()
    const globalsWritten = changedGlobals(baseline)

    expect(Object.keys(module as object).length).toBeGreaterThan(0)
    for (const [name, spy] of Object.entries(spies)) {
      expect(spy.mock.calls.length, `${name} called at import`).toBe(0)
    }
    expect(constructed).toEqual([])
    expect(globalsWritten).toEqual([])
  })
})
