import { pack } from 'msgpackr'
import { describe, expect, it } from 'vitest'
import type { WebSocketConstructor, WebSocketLike } from '../../src/core/config'
import {
  createFrameRecorder,
  createRingBuffer,
  MASK,
  maskSecrets,
  maskUrl,
} from '../../src/devtools'

describe('createRingBuffer', () => {
  it('keeps the newest entries, oldest first, and counts all', () => {
    const ring = createRingBuffer<number>(3)
    for (let i = 1; i <= 5; i++) ring.push(i)
    expect(ring.toArray()).toEqual([3, 4, 5])
    expect(ring.size).toBe(3)
    expect(ring.total).toBe(5)
    ring.clear()
    expect(ring.toArray()).toEqual([])
    ring.push(6)
    expect(ring.toArray()).toEqual([6])
  })

  it('refuses a capacity below 1', () => {
    expect(() => createRingBuffer(0)).toThrow(RangeError)
  })
})

describe('maskSecrets / maskUrl', () => {
  it('masks secret keys at any depth and leaves the rest', () => {
    expect(
      maskSecrets({ type: 'auth', token: 'abc', nested: [{ apiKey: 'k', price: 1 }], author: 'x' }),
    ).toEqual({
      type: 'auth',
      token: MASK,
      nested: [{ apiKey: MASK, price: 1 }],
      author: 'x',
    })
  })

  it('masks secret query parameters in URLs', () => {
    expect(maskUrl('wss://h/ws?token=abc&symbols=BTC')).toBe(`wss://h/ws?token=${MASK}&symbols=BTC`)
    expect(maskSecrets('wss://h/ws?access_token=abc')).toBe(`wss://h/ws?access_token=${MASK}`)
  })

  it('keeps a __proto__ key as data', () => {
    const masked = maskSecrets(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<
      string,
      unknown
    >
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})

/** A socket that records what is sent and lets the test deliver frames. */
class FakeSocket implements WebSocketLike {
  static last: FakeSocket | undefined
  readyState = 0
  protocol = 'tickwire.v1.json'
  bufferedAmount = 0
  binaryType = 'blob'
  onopen: WebSocketLike['onopen'] = null
  onmessage: WebSocketLike['onmessage'] = null
  onclose: WebSocketLike['onclose'] = null
  onerror: WebSocketLike['onerror'] = null
  sent: unknown[] = []
  constructor(readonly url: string) {
    FakeSocket.last = this
  }
  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    this.sent.push(data)
  }
  close(): void {
    this.onclose?.({ code: 1000, reason: '' })
  }
}

describe('createFrameRecorder().tap', () => {
  it('records frames both ways, decodes JSON and MessagePack, masks tokens, and passes everything through', () => {
    let t = 1_000
    const frames = createFrameRecorder({ capacity: 10, now: () => t++ })
    const Tapped = frames.tap(FakeSocket as unknown as WebSocketConstructor)
    const socket = new Tapped('wss://feed/ws?token=abc')
    const inner = FakeSocket.last as FakeSocket
    const got: unknown[] = []
    socket.onmessage = (event) => got.push(event.data)
    socket.binaryType = 'arraybuffer'
    expect(inner.binaryType).toBe('arraybuffer')

    inner.onopen?.({})
    socket.send(JSON.stringify({ type: 'auth', token: 'abc' }))
    inner.onmessage?.({
      data: JSON.stringify({ type: 'snapshot', symbol: 'BTC-USD', seq: 1, data: { price: 1 } }),
    })
    const binary = new Uint8Array(pack({ type: 'pong', ts: 5 }))
    inner.onmessage?.({ data: binary })
    socket.close()

    expect(inner.sent).toEqual([JSON.stringify({ type: 'auth', token: 'abc' })])
    expect(got).toHaveLength(2)
    const entries = frames.entries()
    expect(entries.map((e) => e.direction)).toEqual(['event', 'event', 'out', 'in', 'in', 'event'])
    expect(entries[0]?.connection).toBe(`wss://feed/ws?token=${MASK}`)
    expect(entries[2]?.message).toEqual({ type: 'auth', token: MASK })
    expect(entries[4]).toMatchObject({ encoding: 'binary', message: { type: 'pong', ts: 5 } })
    expect(JSON.stringify(entries)).not.toContain('abc')
  })

  it('records nothing while paused and keeps what it holds', () => {
    const frames = createFrameRecorder()
    frames.record({ direction: 'in', connection: 'a', bytes: 1, encoding: 'text', message: 1 })
    frames.setPaused(true)
    frames.record({ direction: 'in', connection: 'a', bytes: 1, encoding: 'text', message: 2 })
    expect(frames.entries().map((e) => e.message)).toEqual([1])
    frames.setPaused(false)
    frames.record({ direction: 'in', connection: 'a', bytes: 1, encoding: 'text', message: 3 })
    expect(frames.entries().map((e) => e.message)).toEqual([1, 3])
  })
})
