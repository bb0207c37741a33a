/**
 * In-process stand-ins for the network and the clock, so the ingest bench measures the kit and
 * not a socket or the event loop: frames are handed to the manager synchronously, and the
 * manager's frame callback runs when the bench says a frame has passed.
 */
import type {
  TimerHandle,
  TimerProvider,
  WebSocketConstructor,
  WebSocketLike,
} from '../../src/core/index'

interface PendingTimer {
  id: number
  at: number
  every: number | null
  callback: () => void
}

/**
 * A TimerProvider on a virtual clock. `requestFrame` callbacks wait for `frame()`, which also
 * moves the clock by one frame and runs the timeouts that fell due (the throttle's wake-ups,
 * the heartbeat). Nothing here reads the real clock, so throttling behaves as it would at the
 * simulated message rate however fast or slow the machine is.
 */
export class ManualTimers implements TimerProvider {
  private clock = 1_700_000_000_000
  private nextId = 1
  private timers = new Map<number, PendingTimer>()
  private frames = new Map<number, () => void>()
  /** Frame callbacks run so far (store flushes requested by the manager). */
  framesRun = 0

  constructor(readonly frameMs = 16) {}

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++
    this.timers.set(id, { id, at: this.clock + Math.max(0, ms), every: null, callback })
    return id
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number)
  }
  setInterval(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++
    this.timers.set(id, { id, at: this.clock + Math.max(1, ms), every: Math.max(1, ms), callback })
    return id
  }
  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle as number)
  }
  now(): number {
    return this.clock
  }
  requestFrame(callback: () => void): TimerHandle {
    const id = this.nextId++
    this.frames.set(id, callback)
    return id
  }
  cancelFrame(handle: TimerHandle): void {
    this.frames.delete(handle as number)
  }

  /** Advances the clock by one frame, runs the timeouts now due, then the frame callbacks. */
  frame(): void {
    this.advance(this.frameMs)
    const callbacks = [...this.frames.values()]
    this.frames.clear()
    for (const callback of callbacks) {
      this.framesRun += 1
      callback()
    }
  }

  /** Moves the clock and runs due timers in time order (an interval is re-armed). */
  advance(ms: number): void {
    const until = this.clock + ms
    for (;;) {
      let next: PendingTimer | undefined
      for (const timer of this.timers.values())
        if (timer.at <= until && (!next || timer.at < next.at)) next = timer
      if (!next) break
      this.clock = Math.max(this.clock, next.at)
      if (next.every === null) this.timers.delete(next.id)
      else next.at += next.every
      next.callback()
    }
    this.clock = until
  }

  /** Timers still pending: a destroyed manager must leave none. */
  get pending(): number {
    return this.timers.size + this.frames.size
  }
}

/** What a bench does with the fake socket the manager created. */
export interface FakeSocketControl {
  /** The most recent socket the manager constructed. */
  current: FakeSocket | null
}

/**
 * A WebSocket that never touches the network: `open()` opens it with the chosen subprotocol,
 * `deliver()` calls `onmessage` synchronously with a pre-encoded frame, and outbound frames
 * are only counted.
 */
export class FakeSocket implements WebSocketLike {
  readyState = 0
  protocol = ''
  bufferedAmount = 0
  binaryType = 'blob'
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  /** Outbound frames, kept so a bench can check the subscribe went out. */
  sent: (string | ArrayBufferLike | ArrayBufferView)[] = []
  // One event object reused per delivery: a browser allocates one, but that cost is the
  // browser's, not the kit's, and the bare-decode baseline does not pay it either.
  private readonly event: { data: unknown } = { data: null }

  constructor(
    readonly url: string,
    readonly protocols: string | string[] | undefined,
  ) {}

  open(subprotocol: string): void {
    this.readyState = 1
    this.protocol = subprotocol
    this.onopen?.({})
  }
  deliver(data: string | ArrayBuffer): void {
    this.event.data = data
    this.onmessage?.(this.event)
  }
  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    this.sent.push(data)
  }
  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

/** A WebSocket constructor for the manager's config that records the socket it makes. */
export function fakeWebSocket(control: FakeSocketControl): WebSocketConstructor {
  return class extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      control.current = this
    }
  }
}
