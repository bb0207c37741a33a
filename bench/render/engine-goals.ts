/**
 * Issue 14's goal rows for the worker and shared engines, each a ratio against variants measured
 * in the same run (run.ts): the hand-written page (`vanilla`) and the same cells on the
 * main-thread engine (MAIN_THREAD_TWIN). Which rows apply depends on the run's throttle: the
 * like-for-like rows need `--throttle=0`, the busy-time rows the default throttle.
 */
import { fmt, ratio } from '../lib/stats'
import { ENGINE_VARIANTS, MAIN_THREAD_TWIN, type EngineVariant } from './engine-variants'

/** The figures of one variant at one rate that the goals read (medians over rounds, run.ts). */
export interface GoalFigures {
  fps: number
  latencyP99: number
  longTaskMaxMs: number
  /** Main-thread CPU time per second of wall time. */
  busyShare: number
  commitsPerSec: number
  commitsPerFrameMax: number
  /** Deltas the server sent, summed over rounds, once the feed paused after each window. */
  messagesSent: number
  /** Deltas the page's socket had read by then, summed over rounds. */
  messagesRead: number
  /** Deltas sent but not yet read when the window ended (as far as the main thread knew). */
  backlogAtStop: number
}

/** The variants the goals compare: the engine variants, their twins and the hand-written page. */
export type GoalVariant = EngineVariant | (typeof MAIN_THREAD_TWIN)[EngineVariant] | 'vanilla'

/** What the goals need to know about the run. */
export interface GoalRun {
  rates: readonly number[]
  throttleMs: number
  /** The library's default `throttleMs`, the one the busy-time goals are stated for. */
  defaultThrottleMs: number
  windowMs: number
  label: (variant: EngineVariant) => string
  find: (rate: number, variant: GoalVariant) => GoalFigures | undefined
}

const FRAME_MS = 1000 / 60

/** One table row per goal and variant: who, goal, measured, ok / MISS / n/a. */
export function engineGoalRows(run: GoalRun): string[][] {
  const rows: string[][] = []
  const row = (who: string, goal: string, measured: string, ok: boolean | null): void => {
    rows.push([who, goal, measured, ok === null ? 'n/a' : ok ? 'ok' : 'MISS'])
  }
  for (const rate of run.rates) {
    const vanilla = run.find(rate, 'vanilla')
    for (const variant of ENGINE_VARIANTS) {
      const s = run.find(rate, variant)
      if (!s) continue
      const who = `${run.label(variant)}, ${fmt(rate)} msg/s`
      const twin = run.find(rate, MAIN_THREAD_TWIN[variant])
      if (run.throttleMs === 0 && rate === 50_000) likeForLike(row, who, s, vanilla)
      if (run.throttleMs === run.defaultThrottleMs && (rate === 10_000 || rate === 50_000)) {
        busyTime(row, who, variant, s, vanilla, twin)
      }
      if (rate === 1_000 && twin) {
        const limit = twin.latencyP99 + FRAME_MS
        row(
          who,
          `p99 latency <= ${MAIN_THREAD_TWIN[variant]}'s + 1 frame`,
          `${fmt(s.latencyP99)} ms (limit ${fmt(limit)} ms)`,
          s.latencyP99 <= limit,
        )
      }
      // With a handful of frames in the window (a frozen page) "at most one commit per frame"
      // says nothing, unless there was no commit at all.
      const enoughFrames = s.fps * (run.windowMs / 1000) >= 10 || s.commitsPerSec === 0
      row(
        who,
        'React commits per animation frame <= 1 (max in any frame)',
        `${fmt(s.commitsPerFrameMax)} (${fmt(s.commitsPerSec)} commits/s, ${fmt(s.fps, 1)} fps)`,
        enoughFrames ? s.commitsPerFrameMax <= 1 : null,
      )
    }
  }
  return rows
}

type Row = (who: string, goal: string, measured: string, ok: boolean | null) => void

/** throttleMs 0 at 50,000 msg/s: frame rate, latency, long tasks, and no message left unread. */
function likeForLike(row: Row, who: string, s: GoalFigures, vanilla?: GoalFigures): void {
  if (vanilla) {
    const r = s.fps / vanilla.fps
    row(who, 'throttle 0: fps >= 1.5x vanilla', ratio(r), r >= 1.5)
    const p = s.latencyP99 / vanilla.latencyP99
    row(
      who,
      "throttle 0: p99 latency <= vanilla's",
      `${ratio(p)} (${fmt(s.latencyP99)} vs ${fmt(vanilla.latencyP99)} ms)`,
      p <= 1,
    )
  }
  row(
    who,
    'throttle 0: no long task > 50 ms (worst of all rounds)',
    `${fmt(s.longTaskMaxMs)} ms`,
    s.longTaskMaxMs <= 50,
  )
  row(
    who,
    'throttle 0: messages read == messages sent (feed paused after each window)',
    `${fmt(s.messagesRead)} of ${fmt(s.messagesSent)} (${fmt(s.backlogAtStop)} unread at window end)`,
    s.messagesSent > 0 && s.messagesRead === s.messagesSent,
  )
}

/** Default throttle at 10,000 and 50,000 msg/s: main-thread CPU against vanilla and the twin. */
function busyTime(
  row: Row,
  who: string,
  variant: EngineVariant,
  s: GoalFigures,
  vanilla?: GoalFigures,
  twin?: GoalFigures,
): void {
  const ms = (f: GoalFigures): string => fmt(f.busyShare * 1000)
  if (vanilla) {
    const r = s.busyShare / vanilla.busyShare
    row(
      who,
      'main-thread CPU <= 0.5x vanilla',
      `${ratio(r)} (${ms(s)} vs ${ms(vanilla)} ms/s)`,
      r <= 0.5,
    )
  }
  if (twin) {
    const r = s.busyShare / twin.busyShare
    row(
      who,
      `main-thread CPU <= 0.6x ${MAIN_THREAD_TWIN[variant]}`,
      `${ratio(r)} (${ms(s)} vs ${ms(twin)} ms/s)`,
      r <= 0.6,
    )
  }
}
