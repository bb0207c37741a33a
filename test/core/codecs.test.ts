import { Packr, unpack as evalUnpack } from 'msgpackr'
import { describe, expect, test } from 'vitest'
import { decoderFor, encoderFor, jsonCodec, msgpackCodec } from '../../src/core/codecs/index'

describe('codecs', () => {
  test('JSON: text frames both ways; __proto__ stays an own key and pollutes nothing', () => {
    expect(jsonCodec.encode({ type: 'ping', ts: 1 })).toBe('{"type":"ping","ts":1}')
    const decoded = jsonCodec.decode('{"__proto__":{"polluted":true},"a":1}') as Record<
      string,
      unknown
    >
    expect(Object.prototype.hasOwnProperty.call(decoded, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(() => jsonCodec.decode('{nope')).toThrow()
    expect(() => jsonCodec.encode(undefined)).toThrow()
  })

  test('JSON reads a UTF-8 binary frame too', () => {
    expect(jsonCodec.decode(new TextEncoder().encode('{"a":"é"}'))).toEqual({ a: 'é' })
  })

  test('MessagePack: binary frames round-trip; garbage and text frames throw', () => {
    const message = { type: 'snapshot', symbol: 'BTC-USD', seq: 41, data: { price: 45012.5 } }
    const frame = msgpackCodec.encode(message)
    expect(frame).toBeInstanceOf(Uint8Array)
    expect(msgpackCodec.decode(frame)).toEqual(message)
    // A plain Uint8Array (what the WebSocket transport hands on), not a Buffer.
    expect(msgpackCodec.decode(new Uint8Array(frame as Uint8Array))).toEqual(message)
    expect(() => msgpackCodec.decode(new Uint8Array([0x92, 0x01]))).toThrow()
    expect(() => msgpackCodec.decode('text')).toThrow()
  })

  test('MessagePack decoding never generates code, even for many records of one shape', () => {
    // A server may send record definitions; msgpackr's default decoder compiles a reader for
    // them with `new Function` after a few. Count such calls for both decoders.
    const withRecords = new Packr({ useRecords: true }).pack(
      Array.from({ length: 20 }, (_, i) => ({ a: i, b: 'x' })),
    )
    const countGenerated = (decode: () => unknown): number => {
      const original = globalThis.Function
      let generated = 0
      globalThis.Function = new Proxy(original, {
        construct(target, args: string[]) {
          generated += 1
          return Reflect.construct(target, args) as object
        },
      })
      try {
        expect(decode()).toHaveLength(20)
      } finally {
        globalThis.Function = original
      }
      return generated
    }
    expect(countGenerated(() => msgpackCodec.decode(withRecords))).toBe(0)
    // The same data through msgpackr's default build does generate code: the check above can fail.
    expect(countGenerated(() => evalUnpack(withRecords))).toBeGreaterThan(0)
  })

  test('decoder by frame kind, whatever was negotiated: text -> JSON, binary -> MessagePack', () => {
    expect(decoderFor('{}')).toBe(jsonCodec)
    expect(decoderFor(new Uint8Array([0x80]))).toBe(msgpackCodec)
  })

  test('encoder by negotiated subprotocol: msgpack only when the server picked it', () => {
    expect(encoderFor('tickwire.v1.msgpack')).toBe(msgpackCodec)
    expect(encoderFor('tickwire.v1.json')).toBe(jsonCodec)
    expect(encoderFor('')).toBe(jsonCodec)
  })
})
