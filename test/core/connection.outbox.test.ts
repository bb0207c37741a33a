import { describe, expect, test } from 'vitest'
import { createOutbox, type OutboxOptions } from '../../src/core/connection/outbound-queue'
import { PACING_MARGIN_MS } from '../../src/core/connection/pacing'
import { manualTimers, type ManualTimers } from '../helpers/connectionHarness'

/** An outbox on manual timers that records what it writes. */
function outbox(options: Partial<OutboxOptions> = {}): {
  timers: ManualTimers
  written: unknown[]
  dropped: number[]
  box: ReturnType<typeof createOutbox>
} {
  const timers = manualTimers()
  const written: unknown[] = []
  const dropped: number[] = []
  const box = createOutbox({
    timers,
    write: (message) => written.push(message),
    onDrop: (count) => dropped.push(count),
    ...options,
  })
  return { timers, written, dropped, box }
}

describe('outbox pacing (maxFramesPerSecond)', () => {
  test('paces against one second plus a margin: the sixth frame of a burst at 5 per second waits 1100 ms, not 1000', () => {
    const { timers, written, box } = outbox({ maxFramesPerSecond: 5 })
    for (let n = 1; n <= 7; n++) box.push(n, false)
    expect(written).toEqual([1, 2, 3, 4, 5])
    // Exactly one second later by the client's clock the first frame may have reached the
    // server only a few ms ago: the server would still count it.
    timers.advance(1000)
    expect(written).toHaveLength(5)
    timers.advance(PACING_MARGIN_MS - 1)
    expect(written).toHaveLength(5)
    timers.advance(1)
    expect(written).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  test('a ping sent past the queue counts against the window too', () => {
    const { timers, written, box } = outbox({ maxFramesPerSecond: 2 })
    box.sendNow('ping')
    box.push(1, false)
    box.push(2, false)
    expect(written).toEqual(['ping', 1])
    timers.advance(1000 + PACING_MARGIN_MS)
    expect(written).toEqual(['ping', 1, 2])
  })
})

describe('outbox under a rate-limit hold', () => {
  test('application frames held are bounded by maxPending: the oldest dropped and reported, control frames kept', () => {
    const { timers, written, dropped, box } = outbox({ maxPending: 2 })
    box.holdFor(500)
    box.push({ auth: 1 }, false)
    for (let n = 1; n <= 5; n++) box.push({ order: n }, true)
    expect(dropped).toEqual([1, 1, 1])
    expect(box.pending).toBe(3)
    timers.advance(500)
    expect(written).toEqual([{ auth: 1 }, { order: 4 }, { order: 5 }])
  })

  test('a frame that can go at once is never dropped, even with maxPending 0', () => {
    const { written, dropped, box } = outbox({ maxPending: 0 })
    box.push('now', true)
    expect(written).toEqual(['now'])
    expect(dropped).toEqual([])
  })

  test('close() returns at most maxPending application frames', () => {
    const { box } = outbox({ maxPending: 1 })
    box.holdFor(1000)
    box.push('a', true)
    box.push('b', true)
    expect(box.close()).toEqual(['b'])
  })

  test('pushLater is built when its frames can go, and later calls join the one waiting', () => {
    const { timers, written, box } = outbox()
    let state = 'first'
    let builds = 0
    const make = (): unknown[] => {
      builds += 1
      return [state, null]
    }
    box.holdFor(300)
    box.pushLater('diff', make)
    box.push('app', true)
    state = 'second'
    box.pushLater('diff', make)
    timers.advance(300)
    // One build, at the end of the hold, with what was true then; null frames are skipped.
    expect(builds).toBe(1)
    expect(written).toEqual(['second', 'app'])
    // Not waiting any more: the next call builds and sends at once.
    box.pushLater('diff', make)
    expect(written).toEqual(['second', 'app', 'second'])
  })
})
