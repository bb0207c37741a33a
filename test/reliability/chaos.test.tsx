/**
 * Chaos (issue 8): the real feed server on loopback behind a misbehaving proxy, and many React
 * components subscribing and unsubscribing 200 symbols at random, while the server is restarted
 * on the same port, connections are refused, the server stalls without closing, and the link is
 * throttled. At the end: one socket at the server, its subscriptions equal to what the mounted
 * components want, every shown price equal to the server's, nothing thrown into React or left
 * unhandled, and the client's reconnect count equal to the connections the network saw.
 *
 * React runs as in a browser (`IS_REACT_ACT_ENVIRONMENT` false): frames update the store
 * outside `act`. console.error is watched, not silenced. Seeded: set TICKWIRE_CHAOS_SEED to
 * replay a run; the seed is printed with the figures.
 */
import { render, type RenderResult } from '@testing-library/react'
import { Component, useEffect, useSyncExternalStore, type ReactNode } from 'react'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ConnectionStatus, PriceFlash } from '../../src/components'
import type { StreamManagerConfig, WebSocketConstructor } from '../../src/core/config'
import type { StreamManager } from '../../src/core/stream-manager'
import { StreamProvider, usePrice, usePriceStream, useStreamManager } from '../../src/react'
import { createFeedServer, createRandom, generateSymbols, type FeedServer } from '../../src/server'
import { createChaosProxy, type ChaosProxy } from '../helpers/chaosProxy'
import { leakTimers } from '../helpers/leakTimers'

const WS = NodeWebSocket as unknown as WebSocketConstructor
const SEED = Number(process.env.TICKWIRE_CHAOS_SEED ?? Date.now() % 100_000)
const SYMBOLS = generateSymbols(200)
const WATCHERS = 40

type ActGlobal = { IS_REACT_ACT_ENVIRONMENT?: boolean | undefined }
let previousAct: boolean | undefined

beforeAll(() => {
  previousAct = (globalThis as ActGlobal).IS_REACT_ACT_ENVIRONMENT
  ;(globalThis as ActGlobal).IS_REACT_ACT_ENVIRONMENT = false
  // jsdom has no ResizeObserver; Radix measures its tooltip with one (never opened here).
  if (typeof globalThis.ResizeObserver === 'undefined') {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(): void {}
        unobserve(): void {}
        disconnect(): void {}
      },
    )
  }
})

afterAll(() => {
  ;(globalThis as ActGlobal).IS_REACT_ACT_ENVIRONMENT = previousAct
  vi.unstubAllGlobals()
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const start = Date.now()
  while (Date.now() - start < timeoutMs) {
    if (predicate()) return true
    await sleep(10)
  }
  return predicate()
}

// ---- the board: which watcher wants which symbols, outside React so the test can churn it ----

interface Board {
  get(): readonly (readonly string[] | null)[]
  set(next: (readonly string[] | null)[]): void
  subscribe(listener: () => void): () => void
}

function createBoard(initial: (readonly string[] | null)[]): Board {
  let state: readonly (readonly string[] | null)[] = initial
  const listeners = new Set<() => void>()
  return {
    get: () => state,
    set(next) {
      state = next
      for (const listener of listeners) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** The union of what mounted watchers want: the client's wanted set, by construction. */
function wantedOf(board: Board): Set<string> {
  return new Set(board.get().flatMap((list) => list ?? []))
}

function PriceRow({ symbol }: { symbol: string }): ReactNode {
  const tick = usePrice(symbol)
  return (
    <li data-symbol={symbol} data-price={tick?.price ?? ''}>
      <PriceFlash symbol={symbol} />
    </li>
  )
}

function RowWatcher({ symbols }: { symbols: readonly string[] }): ReactNode {
  return (
    <ul>
      {symbols.map((symbol) => (
        <PriceRow key={symbol} symbol={symbol} />
      ))}
    </ul>
  )
}

function StreamWatcher({ symbols }: { symbols: readonly string[] }): ReactNode {
  const { prices } = usePriceStream(symbols)
  return (
    <ul>
      {symbols.map((symbol) => (
        <li key={symbol} data-symbol={symbol} data-price={prices[symbol]?.price ?? ''}>
          {symbol}
        </li>
      ))}
    </ul>
  )
}

function ManagerProbe({ onManager }: { onManager: (manager: StreamManager) => void }): ReactNode {
  const manager = useStreamManager()
  useEffect(() => onManager(manager), [manager, onManager])
  return null
}

function BoardView({
  board,
  onManager,
}: {
  board: Board
  onManager: (m: StreamManager) => void
}): ReactNode {
  const lists = useSyncExternalStore(board.subscribe, board.get)
  return (
    <>
      <ConnectionStatus />
      <ManagerProbe onManager={onManager} />
      {lists.map((list, i) =>
        list === null ? null : i % 2 === 0 ? (
          <StreamWatcher key={i} symbols={list} />
        ) : (
          <RowWatcher key={i} symbols={list} />
        ),
      )}
    </>
  )
}

class Boundary extends Component<{ children: ReactNode; caught: unknown[] }, { failed: boolean }> {
  override state = { failed: false }
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true }
  }
  override componentDidCatch(error: unknown): void {
    this.props.caught.push(error)
  }
  override render(): ReactNode {
    return this.state.failed ? <p>crashed</p> : this.props.children
  }
}

// ---- the run ----

interface FaultFigure {
  fault: string
  heldMs: number
  recoverMs: number
}

describe('chaos', () => {
  it('restarts, refusals, stalls and throttling under random subscription churn: one socket, exact subscriptions, exact prices, nothing thrown, every reconnect counted', async () => {
    const random = createRandom(SEED)
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
    const randomList = (): string[] => {
      const n = 1 + Math.floor(random() * 10)
      return [...new Set(Array.from({ length: n }, () => pick(SYMBOLS)))]
    }

    // Problems that must not happen, collected from every channel a browser app would see.
    const caught: unknown[] = []
    const unhandled: unknown[] = []
    const consoleErrors: unknown[][] = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    process.on('uncaughtException', onUnhandled)
    const onWindowError = (event: ErrorEvent): void => void unhandled.push(event.error)
    window.addEventListener('error', onWindowError)
    const originalError = console.error.bind(console)
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      consoleErrors.push(args)
      originalError(...args)
    })

    const startFeed = (port: number): Promise<FeedServer> =>
      createFeedServer({
        port,
        host: '127.0.0.1',
        symbols: SYMBOLS,
        tickHz: 0,
        seed: SEED,
        closeTimeoutMs: 200,
        pingIntervalMs: 1_000,
        updateShare: 0.25,
        slowClientBytes: 16 * 1024,
      })
    let feed = await startFeed(0)
    const feedPort = feed.port
    let feedUp = true
    let feedInstances = 1
    // The test moves the market (tickHz 0) so that it can stop it for the final comparison.
    const ticker = setInterval(() => {
      if (feedUp) feed.tick()
    }, 100)
    const proxy: ChaosProxy = await createChaosProxy(feedPort)

    const timers = leakTimers()
    const config: StreamManagerConfig = {
      url: proxy.url,
      WebSocket: WS,
      timers,
      heartbeatIntervalMs: 400,
      staleTimeoutMs: 1_500,
      reconnect: { initialDelayMs: 100, maxDelayMs: 800, jitter: 0.2, maxAttempts: 10_000 },
      throttleMs: 100,
      unsubscribeDelayMs: 150,
      cacheTtlMs: 1_000,
    }
    const board = createBoard(
      Array.from({ length: WATCHERS }, (_, i) => (i % 3 === 0 ? null : randomList())),
    )
    let manager: StreamManager | undefined
    const onManager = (m: StreamManager): void => {
      manager = m
    }
    const view: RenderResult = render(
      <Boundary caught={caught}>
        <StreamProvider config={config}>
          <BoardView board={board} onManager={onManager} />
        </StreamProvider>
      </Boundary>,
    )
    const info = () => manager?.store.getState().connections.default
    const liveStats = () => (manager as StreamManager).getStats()

    // Churn: every 100 ms a few watchers change their list, mount or unmount.
    let churnSteps = 0
    const churn = setInterval(() => {
      churnSteps += 1
      const next = [...board.get()]
      for (let k = 0; k < 3; k++) {
        const i = Math.floor(random() * WATCHERS)
        const r = random()
        next[i] =
          r < 0.2
            ? null
            : r < 0.6
              ? randomList()
              : [...new Set([...(next[i] ?? []), pick(SYMBOLS)])].slice(-12)
      }
      board.set(next)
    }, 100)

    const figures: FaultFigure[] = []
    /** Runs a fault for `heldMs`, ends it, and measures the time until the stream is back. */
    async function fault(
      name: string,
      heldMs: number,
      begin: () => Promise<void> | void,
      finish: () => Promise<void> | void,
    ): Promise<void> {
      const before = liveStats().messagesIn
      await begin()
      await sleep(heldMs)
      await finish()
      const endedAt = Date.now()
      // Back means open again and frames arriving after the fault ended.
      const back = await until(
        () =>
          info()?.status === 'open' &&
          (info()?.stats.lastMessageAt ?? 0) > endedAt &&
          liveStats().messagesIn > before,
        15_000,
      )
      expect(back, `no recovery after ${name}`).toBe(true)
      figures.push({ fault: name, heldMs, recoverMs: Date.now() - endedAt })
    }
    const restart = async (): Promise<void> => {
      feedUp = false
      await feed.close()
      await sleep(200) // down: connections in this window are refused by the OS
      feed = await startFeed(feedPort)
      feedInstances += 1
      feedUp = true
    }

    const started = Date.now()
    expect(await until(() => info()?.status === 'open', 5_000)).toBe(true)
    await sleep(1_500)
    // Each fault once, then the socket-breaking ones again on a warm client.
    const rounds: string[][] = [
      ['restart', 'refuse', 'stall', 'throttle'],
      ['restart', 'stall'],
    ]
    for (const round of rounds) {
      for (const kind of round) {
        if (kind === 'restart') await fault('restart (same port)', 0, () => undefined, restart)
        if (kind === 'refuse') {
          await fault(
            'drop, then refuse connections',
            1_200,
            () => {
              proxy.refuse(true)
              proxy.dropAll()
            },
            () => proxy.refuse(false),
          )
        }
        // Longer than staleTimeoutMs (1.5 s) plus the ping grace, so the client must notice.
        if (kind === 'stall')
          await fault(
            'stall without closing',
            2_500,
            () => proxy.stall(true),
            () => proxy.stall(false),
          )
        if (kind === 'throttle')
          await fault(
            'throttle to 4 KB/s',
            2_000,
            () => proxy.throttle(4_096),
            () => proxy.throttle(null),
          )
        await sleep(500)
      }
    }
    // Everything at once: a stall during which the server restarts.
    await fault(
      'stall + restart',
      2_000,
      () => proxy.stall(true),
      async () => {
        await restart()
        proxy.stall(false)
      },
    )
    const chaosMs = Date.now() - started

    // ---- settle: no more churn or faults, then freeze the market ----
    clearInterval(churn)
    await sleep(config.unsubscribeDelayMs as number)
    const wanted = wantedOf(board)
    const serverSubscriptions = (): Record<string, number> => feed.stats().subscriptions
    const subscriptionsMatch = (): boolean => {
      const subs = serverSubscriptions()
      const keys = Object.keys(subs)
      return keys.length === wanted.size && keys.every((s) => wanted.has(s) && subs[s] === 1)
    }
    const subscriptionsSettled = await until(subscriptionsMatch, 5_000)
    clearInterval(ticker)
    const shown = (): Map<string, string[]> => {
      const out = new Map<string, string[]>()
      for (const el of view.container.querySelectorAll<HTMLElement>('[data-symbol]')) {
        const symbol = el.dataset.symbol as string
        out.set(symbol, [...(out.get(symbol) ?? []), el.dataset.price ?? ''])
      }
      return out
    }
    const mismatches = (): string[] => {
      const wrong: string[] = []
      for (const [symbol, prices] of shown()) {
        const truth = String(feed.market.snapshot(symbol)?.data.price)
        if (prices.some((p) => p !== truth))
          wrong.push(`${symbol}: shown ${prices.join('/')} server ${truth}`)
      }
      return wrong
    }
    // The throttle (100 ms) and the frame must have passed for the last deltas.
    await until(() => mismatches().length === 0, 5_000)

    const stats = liveStats()
    const settledFigures = {
      seed: SEED,
      chaosMs,
      feedInstances,
      churnSteps,
      reconnects: stats.reconnects,
      tcpConnectionsOffered: proxy.offered,
      refusedByProxy: proxy.refused,
      upstreamDown: proxy.upstreamFailed,
      framesIn: stats.messagesIn,
      framesOut: stats.messagesOut,
      invalid: stats.invalid,
      errors: stats.errors,
      wantedSymbols: wanted.size,
      shownRows: view.container.querySelectorAll('[data-symbol]').length,
    }
    console.info(`[chaos] ${JSON.stringify(settledFigures)}`)
    console.info(
      `[chaos] recovery: ${figures.map((f) => `${f.fault} held ${f.heldMs} ms -> back in ${f.recoverMs} ms`).join('; ')}`,
    )

    // One socket: at the server, and through the proxy.
    expect(feed.stats().connections).toBe(1)
    expect(proxy.openNow).toBe(1)
    // The server streams exactly what the mounted components want, once each.
    expect(
      subscriptionsSettled,
      JSON.stringify({
        server: Object.keys(serverSubscriptions()).sort(),
        wanted: [...wanted].sort(),
      }),
    ).toBe(true)
    // Every shown price is the server's latest.
    expect(mismatches()).toEqual([])
    expect(shown().size).toBe(wanted.size)
    // Statistics account for every reconnect: each attempt after the first is a TCP connection the network saw.
    expect(stats.reconnects).toBe(proxy.offered - 1)
    // Restarts, drops and stalls (beyond staleTimeoutMs) each cost the socket; a throttle does not.
    const socketFaults = figures.filter((f) => !f.fault.startsWith('throttle')).length
    expect(stats.reconnects).toBeGreaterThanOrEqual(socketFaults)
    expect(proxy.refused).toBeGreaterThan(0)
    expect(stats.invalid).toBe(0)
    // Nothing thrown into React, nothing unhandled, no React error or warning.
    expect(caught).toEqual([])
    expect(unhandled).toEqual([])
    expect(consoleErrors).toEqual([])

    view.unmount()
    expect(await until(() => feed.stats().connections === 0 && proxy.openNow === 0, 5_000)).toBe(
      true,
    )
    expect(timers.pending()).toBe(0)
    process.off('unhandledRejection', onUnhandled)
    process.off('uncaughtException', onUnhandled)
    window.removeEventListener('error', onWindowError)
    await proxy.close()
    await feed.close()
  }, 90_000)
})
