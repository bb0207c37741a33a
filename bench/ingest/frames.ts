/**
 * Pre-encoded feeds for the ingest bench: deltas for M symbols in PROTOCOL.md's shapes, as JSON
 * text or MessagePack binary, one delta per frame or `batch` frames. Encoding happens before
 * timing starts, so what is timed is only what a client does with frames it receives.
 */
import { pack } from 'msgpackr'

export type Encoding = 'json' | 'msgpack'
export type Framing = 'single' | 'batch'

export interface FeedSpec {
  symbols: number
  messages: number
  encoding: Encoding
  framing: Framing
  /** Deltas per batch frame when `framing` is `batch`. */
  batchSize: number
}

export interface Feed {
  spec: FeedSpec
  /** The snapshot frames (seq 0 for every symbol), sent once after subscribing. */
  snapshots: (string | ArrayBuffer)[]
  /** The delta frames, in order. */
  frames: (string | ArrayBuffer)[]
  /** Deltas held by `frames` (equals spec.messages). */
  deltas: number
}

export const symbolName = (i: number): string => `SYM${i.toString().padStart(6, '0')}`

/** Symbol names 0..count-1. */
export function symbolList(count: number): string[] {
  return Array.from({ length: count }, (_, i) => symbolName(i))
}

/** A deterministic pseudo-random walk (mulberry32), so every run encodes the same feed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Msg = Record<string, unknown>

function encode(message: Msg, encoding: Encoding): string | ArrayBuffer {
  if (encoding === 'json') return JSON.stringify(message)
  const bytes = pack(message)
  // A browser's socket with binaryType 'arraybuffer' hands over an ArrayBuffer of its own.
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** A snapshot message of PROTOCOL.md 3.2. */
export function snapshotMessage(symbol: string, price: number, ts: number): Msg {
  return {
    type: 'snapshot',
    symbol,
    seq: 0,
    ts,
    data: { price, bid: price - 0.5, ask: price + 0.5, volume: 1000, change24h: 0 },
  }
}

/** Builds a feed: symbols are visited round-robin so each delta has exactly the next seq. */
export function buildFeed(spec: FeedSpec): Feed {
  const random = rng(42)
  const names = symbolList(spec.symbols)
  const prices = names.map(() => 100 + random() * 1000)
  const seqs = names.map(() => 0)
  const ts0 = 1_700_000_000_000
  const snapshots: (string | ArrayBuffer)[] = []
  for (let i = 0; i < names.length; i += 100) {
    const messages = names
      .slice(i, i + 100)
      .map((s, k) => snapshotMessage(s, prices[i + k] as number, ts0))
    snapshots.push(encode({ type: 'batch', messages }, spec.encoding))
  }
  const deltas: Msg[] = []
  for (let n = 0; n < spec.messages; n++) {
    const i = n % names.length
    const price = (prices[i] as number) * (1 + (random() - 0.5) * 0.001)
    prices[i] = price
    seqs[i] = (seqs[i] as number) + 1
    const rounded = Math.round(price * 100) / 100
    // Deltas carry what a quote update usually changes: price and the touch.
    deltas.push({
      type: 'delta',
      symbol: names[i],
      seq: seqs[i],
      ts: ts0 + n,
      data: { price: rounded, bid: rounded - 0.01, ask: rounded + 0.01 },
    })
  }
  const frames: (string | ArrayBuffer)[] = []
  if (spec.framing === 'single') {
    for (const d of deltas) frames.push(encode(d, spec.encoding))
  } else {
    for (let i = 0; i < deltas.length; i += spec.batchSize) {
      frames.push(
        encode({ type: 'batch', messages: deltas.slice(i, i + spec.batchSize) }, spec.encoding),
      )
    }
  }
  return { spec, snapshots, frames, deltas: deltas.length }
}
