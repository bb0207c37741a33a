/**
 * Leaks and life cycle of the core (issue 8): a thousand managers created and destroyed in
 * every state a manager can be in leave no socket at the server and no pending timer, and the
 * heap returns to its start within a stated bound (measured in a child process with
 * `--expose-gc`). The React side is in lifecycle.test.tsx.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebSocketConstructor } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { leakTimers } from '../helpers/leakTimers'
import { createTestServer, type TestServer } from '../helpers/testServer'

const WS = NodeWebSocket as unknown as WebSocketConstructor

/** Bounds of the heap test, stated in docs/RELIABILITY.md: retained bytes after forced collections. */
export const HEAP_FIRST_PHASE_BOUND = 2 * 1024 * 1024
export const HEAP_SECOND_PHASE_BOUND = 512 * 1024

let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The states a manager is destroyed in, one per index modulo their number. */
const STATES = [
  'never started (autoStart: false)',
  'lazy, never subscribed',
  'connecting',
  'waiting for a token',
  'open and subscribed, with a price',
  'open, then disconnected',
  'reconnecting after the server dropped it',
  'with a release pending its unsubscribe delay',
  'destroyed twice',
] as const

describe('a thousand managers', () => {
  it('created and destroyed in every state leave no open socket at the server and no pending timer', async () => {
    const s = await createTestServer()
    server = s
    const timers = leakTimers()
    const base = {
      url: s.url,
      WebSocket: WS,
      timers,
      reconnect: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 },
    }
    const seen = new Map<string, number>()
    /** Waits for `predicate`, saying which manager and state it was waiting in when it fails. */
    const wait = async (where: string, what: string, predicate: () => boolean): Promise<void> => {
      try {
        await s.waitFor(predicate, 5_000)
      } catch {
        throw new Error(`${where}: ${what} did not happen`)
      }
    }
    /** Brings manager `i` into its state, destroys it, and checks it is inert afterwards. */
    async function lifeOf(i: number): Promise<void> {
      const state = STATES[i % STATES.length] as (typeof STATES)[number]
      seen.set(state, (seen.get(state) ?? 0) + 1)
      const where = `manager ${i} (${state})`
      let m: StreamManager
      switch (state) {
        case 'never started (autoStart: false)':
          m = createStreamManager({ ...base, autoStart: false })
          m.subscribe(['A'])
          break
        case 'lazy, never subscribed':
          m = createStreamManager({ ...base, lazy: true })
          break
        case 'connecting':
          m = createStreamManager(base)
          m.subscribe(['A'])
          break
        case 'waiting for a token':
          m = createStreamManager({ ...base, getToken: () => new Promise<string>(() => undefined) })
          m.subscribe(['A'])
          break
        case 'open and subscribed, with a price': {
          m = createStreamManager({ ...base, throttleMs: 0 })
          const mm = m
          m.subscribe(['A', 'B'])
          await wait(where, 'a price for B', () => mm.store.getState().prices.B !== undefined)
          break
        }
        case 'open, then disconnected': {
          m = createStreamManager(base)
          const mm = m
          m.subscribe(['A'])
          await wait(
            where,
            'open',
            () => mm.store.getState().connections.default?.status === 'open',
          )
          m.disconnect()
          break
        }
        case 'reconnecting after the server dropped it': {
          // A long backoff, so the manager is destroyed while its retry timer waits.
          m = createStreamManager({
            ...base,
            reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 0 },
          })
          const mm = m
          // A symbol of its own marks its socket at the server among the batch's others.
          const mark = `mark-${i}`
          m.subscribe(['A', mark])
          const mine = () =>
            s.sockets.filter(
              (x) =>
                x.open &&
                x.received.some(
                  (f) => (f as { symbols?: string[] }).symbols?.includes(mark) === true,
                ),
            )
          await wait(
            where,
            'open and subscribed',
            () => mm.store.getState().connections.default?.status === 'open' && mine().length === 1,
          )
          for (const socket of mine()) socket.ws.terminate()
          await wait(
            where,
            'reconnecting',
            () => mm.store.getState().connections.default?.status === 'reconnecting',
          )
          break
        }
        case 'with a release pending its unsubscribe delay': {
          m = createStreamManager({ ...base, unsubscribeDelayMs: 60_000 })
          const release = m.subscribe(['A'])
          await Promise.resolve()
          release()
          break
        }
        case 'destroyed twice':
          m = createStreamManager(base)
          m.subscribe(['A'])
          m.destroy()
          break
      }
      m.destroy()
      // Inert afterwards: these must neither throw nor open anything.
      m.subscribe(['late'])()
      m.send({ type: 'late' })
      m.reconnect()
    }
    // Ten at a time, concurrently: as an app with several providers would, and faster here.
    for (let i = 0; i < 1_000; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, k) => lifeOf(i + k)))
    }
    expect([...seen.values()].every((n) => n >= 100)).toBe(true)
    await wait('after all managers', `no open socket (${s.openNow} open)`, () => s.openNow === 0)
    // Sockets that were still opening when destroyed must not open later.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(s.openNow).toBe(0)
    expect(timers.pending()).toBe(0)
    expect(timers.scheduled()).toBeGreaterThan(1_000) // the count above is not trivially zero
    console.info(
      `[lifecycle core] managers=1000 sockets-opened=${s.opened} upgrades=${s.upgrades} timers-scheduled=${timers.scheduled()} pending=${timers.pending()}`,
    )
  }, 60_000)
})

describe('heap', () => {
  it(`returns to its start: 1,000 managers retain under ${HEAP_FIRST_PHASE_BOUND / 1024 / 1024} MiB, 1,000 more under ${HEAP_SECOND_PHASE_BOUND / 1024} KiB, and the process exits by itself`, async () => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures', 'heapChild.ts'),
        '1000',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(
          new Error(
            `heap child ${child.pid} did not exit within 60 s (a leaked handle?)\n${out}\n${err}`,
          ),
        )
      }, 60_000)
      child.once('exit', (exitCode) => {
        clearTimeout(timer)
        resolve(exitCode)
      })
    })
    expect(code, err).toBe(0)
    const result = JSON.parse(out.trim().split('\n').pop() as string) as {
      firstPhaseBytes: number
      secondPhaseBytes: number
      pendingTimers: number
      openNow: number
      opened: number
    }
    console.info(`[heap core] ${JSON.stringify(result)}`)
    expect(result.pendingTimers).toBe(0)
    expect(result.openNow).toBe(0)
    expect(result.opened).toBeGreaterThan(100)
    expect(result.firstPhaseBytes).toBeLessThan(HEAP_FIRST_PHASE_BOUND)
    expect(result.secondPhaseBytes).toBeLessThan(HEAP_SECOND_PHASE_BOUND)
  }, 70_000)
})
