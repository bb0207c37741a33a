/**
 * The page the engine tests drive: it only exposes the engine's entry and a few probes on
 * `window`, and the tests call them through `page.evaluate`.
 */
import {
  createEngineManager,
  engineProtocol,
  type EngineManager,
} from '../../../src/core/engine/index'

/** What a test reads about the page's one manager. */
export interface EnginePage {
  create(config: Parameters<typeof createEngineManager>[0]): void
  manager(): EngineManager
  /** Store writes seen, and the most seen within one animation frame. */
  writes: { total: number; maxPerFrame: number }
  /** Status events received, as `connection:new`. */
  statuses: string[]
  warnings: string[]
  tokenCalls: number
  /** Times a symbol's shown `seq` went down between two store writes. */
  regressions: number
  engineProtocol: typeof engineProtocol
  /** The entry itself, for tests that make many managers. */
  createEngineManager: typeof createEngineManager
}

declare global {
  interface Window {
    engine: EnginePage
  }
}

const originalWarn = console.warn.bind(console)
let current: EngineManager | null = null
const page: EnginePage = {
  writes: { total: 0, maxPerFrame: 0 },
  statuses: [],
  warnings: [],
  tokenCalls: 0,
  regressions: 0,
  engineProtocol,
  createEngineManager,
  create(config) {
    current = createEngineManager(config)
    let inFrame = 0
    const frame = () => {
      inFrame = 0
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
    const seqs = new Map<string, number>()
    current.store.subscribe((state) => {
      for (const [symbol, tick] of Object.entries(state.prices)) {
        if (tick.seq < (seqs.get(symbol) ?? -1)) page.regressions++
        seqs.set(symbol, tick.seq)
      }
      page.writes.total++
      inFrame++
      page.writes.maxPerFrame = Math.max(page.writes.maxPerFrame, inFrame)
    })
    current.on('status', (event) => page.statuses.push(`${event.connection}:${event.newState}`))
  },
  manager() {
    if (!current) throw new Error('no manager yet')
    return current
  },
}
console.warn = (...args: unknown[]) => {
  page.warnings.push(args.map(String).join(' '))
  originalWarn(...args)
}
window.engine = page
