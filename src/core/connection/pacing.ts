/**
 * The pacing window of one socket's outbox (outbound-queue.ts): at most the protocol's
 * `maxFramesPerSecond` frames in any window, as a server that counts frames per second sees
 * them.
 */

/** The one-second window servers count frames in (Binance: at most 5 a second). */
const WINDOW_MS = 1_000

/**
 * Added to the window when pacing. A server measures on arrival: the first frame of a burst
 * can reach it a few ms after it was written (a busy event loop, Nagle, a proxy) while a later
 * frame goes straight through, so a pacer that waits exactly one second by its own clock lets
 * the server see one frame too many in its second, and the server closes the socket (Binance:
 * 1008), which reconnects and bursts again. 100 ms covers such skew for a tenth of a second
 * of delay per window.
 */
export const PACING_MARGIN_MS = 100

/** How long a sent frame counts against `maxFramesPerSecond`. */
const PACED_WINDOW_MS = WINDOW_MS + PACING_MARGIN_MS

/** The frames written in the last window. */
export interface PacingWindow {
  /** A frame was written at `now`. */
  record(now: number): void
  /** When the next frame may be written, or `undefined` if it may go now. */
  blockedUntil(now: number): number | undefined
}

/** Creates the window; without a positive `maxFramesPerSecond` nothing is ever held. */
export function createPacingWindow(maxFramesPerSecond: number | undefined): PacingWindow {
  const perSecond =
    maxFramesPerSecond !== undefined && maxFramesPerSecond > 0 ? maxFramesPerSecond : undefined
  const sentAt: number[] = []

  const expire = (now: number): void => {
    while (sentAt.length > 0 && (sentAt[0] as number) <= now - PACED_WINDOW_MS) sentAt.shift()
  }

  return {
    record(now) {
      if (perSecond === undefined) return
      sentAt.push(now)
      expire(now)
    },
    blockedUntil(now) {
      if (perSecond === undefined) return undefined
      expire(now)
      return sentAt.length >= perSecond ? (sentAt[0] as number) + PACED_WINDOW_MS : undefined
    },
  }
}
