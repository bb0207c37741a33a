/**
 * In-page measurement, the same for every variant. The Node runner calls `__bench.start()`,
 * waits, then `__bench.stop()` and reads the result.
 *
 * - fps: this harness's own requestAnimationFrame loop, frames per second of the window.
 * - long tasks: PerformanceObserver('longtask'), count, total and worst.
 * - React commits: a `<Profiler onRender>` calls `commit()`; each is tagged with the frame it
 *   happened in, so "commits per animation frame" is measured, not inferred from averages.
 * - latency: a MutationObserver sees each price text the variant writes; the text carries the
 *   send time of its value (see blaster.ts). The paint that shows it is taken as the first
 *   "after paint" point following the write: a MessageChannel message posted from a
 *   requestAnimationFrame callback runs once that frame's rendering is done.
 * - frames received: the variant reports its socket's frame count through `framesIn`.
 */

export interface BenchResult {
  windowMs: number
  frames: number
  longTasks: number[]
  commits: number
  commitsPerFrameMax: number
  framesWithSeveralCommits: number
  /** The socket's frame count (absolute) at start and stop: the runner maps them to deltas. */
  framesInStart: number
  framesInEnd: number
  latencies: number[]
  textWrites: number
  appliedFrames: number
}

interface BenchApi {
  start(): void
  stop(): BenchResult
  ready(): boolean
  framesIn: () => number
  appliedFrames: number
}

declare global {
  interface Window {
    __bench: BenchApi
  }
}

const params = new URLSearchParams(location.search)

/** Settings from the page URL, given by the runner. */
export const config = {
  wsUrl: `${params.get('ws') ?? ''}?rate=${params.get('rate') ?? '1000'}&id=${params.get('id') ?? 'x'}`,
  symbols: Number(params.get('symbols') ?? 500),
  throttleMs: Number(params.get('throttle') ?? 100),
}

/** Symbol names in board order: the server streams whatever a page subscribes. */
export const SYMBOLS: readonly string[] = Array.from(
  { length: config.symbols },
  (_, i) => `S${String(i).padStart(3, '0')}`,
)

/** The one formatter every variant uses: PriceFlash's defaults, with the locale pinned. */
export const LOCALE = 'en-US'
export const formatter = new Intl.NumberFormat(LOCALE, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 8,
})

/** PROTOCOL.md subscribe frames of at most 100 symbols, for the variants that speak it by hand. */
export function subscribeFrames(symbols: readonly string[]): string[] {
  const frames: string[] = []
  for (let i = 0; i < symbols.length; i += 100) {
    frames.push(
      JSON.stringify({ type: 'subscribe', id: i / 100 + 1, symbols: symbols.slice(i, i + 100) }),
    )
  }
  return frames
}

/** The send time (epoch ms) a shown price carries in its fraction digits 4 to 8; NaN if none. */
function sentAt(text: string, nowEpoch: number): number {
  const dot = text.indexOf('.')
  if (dot < 0) return Number.NaN
  const fraction = (text.slice(dot + 1) + '00000000').slice(0, 8)
  const mod = Number(fraction.slice(3, 8))
  if (!Number.isFinite(mod)) return Number.NaN
  return nowEpoch - ((((nowEpoch - mod) % 100_000) + 100_000) % 100_000)
}

let measuring = false
let windowStart = 0
let frames = 0
let commits = 0
let commitsThisFrame = 0
let commitsPerFrameMax = 0
let framesWithSeveral = 0
let longTasks: number[] = []
let latencies: number[] = []
let textWrites = 0
let framesInAtStart = 0
let appliedAtStart = 0
/** Send times of values written since the last paint point. */
let pending: number[] = []
let firstValueSeen = false

/** Called from each variant's Profiler `onRender`. */
export function commit(): void {
  if (!measuring) return
  commits += 1
  commitsThisFrame += 1
}

const channel = new MessageChannel()
channel.port1.onmessage = () => {
  // After this frame's rendering: everything written before it is on screen now.
  if (pending.length === 0) return
  const paintedAt = performance.timeOrigin + performance.now()
  if (measuring) for (const ts of pending) latencies.push(paintedAt - ts)
  pending = []
}

function onFrame(): void {
  if (measuring) {
    frames += 1
    if (commitsThisFrame > commitsPerFrameMax) commitsPerFrameMax = commitsThisFrame
    if (commitsThisFrame > 1) framesWithSeveral += 1
  }
  commitsThisFrame = 0
  channel.port2.postMessage(0)
  requestAnimationFrame(onFrame)
}
requestAnimationFrame(onFrame)

new PerformanceObserver((list) => {
  if (!measuring) return
  for (const entry of list.getEntries()) longTasks.push(entry.duration)
}).observe({ type: 'longtask', buffered: false })

/** Watches the board for price text writes (text node data, or a replaced text node). */
export function observeBoard(board: Element): void {
  const record = (node: Node | null): void => {
    const el = node?.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element | null)
    if (!el || !el.classList.contains('tw-price-flash__value')) return
    const text = el.textContent ?? ''
    firstValueSeen = true
    if (!measuring) return
    textWrites += 1
    const ts = sentAt(text.replace(/,/g, ''), performance.timeOrigin + performance.now())
    if (Number.isFinite(ts)) pending.push(ts)
  }
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'characterData') record(m.target)
      else
        for (const node of m.addedNodes) record(node.nodeType === Node.TEXT_NODE ? node : m.target)
    }
  }).observe(board, { subtree: true, characterData: true, childList: true })
}

window.__bench = {
  framesIn: () => 0,
  appliedFrames: 0,
  ready: () => firstValueSeen,
  start() {
    measuring = true
    windowStart = performance.now()
    frames = 0
    commits = 0
    commitsPerFrameMax = 0
    framesWithSeveral = 0
    longTasks = []
    latencies = []
    textWrites = 0
    pending = []
    framesInAtStart = window.__bench.framesIn()
    appliedAtStart = window.__bench.appliedFrames
  },
  stop() {
    measuring = false
    return {
      windowMs: performance.now() - windowStart,
      frames,
      longTasks,
      commits,
      commitsPerFrameMax,
      framesWithSeveralCommits: framesWithSeveral,
      framesInStart: framesInAtStart,
      framesInEnd: window.__bench.framesIn(),
      latencies,
      textWrites,
      appliedFrames: window.__bench.appliedFrames - appliedAtStart,
    }
  },
}
