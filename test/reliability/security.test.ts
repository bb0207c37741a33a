/**
 * Security (issue 8): where the auth token may appear, the size limit before decoding, no code
 * generation in the library or its decoding path, and the warning for `ws:` on an https page.
 * The component side (markup shown inert, no token on screen) is in security.test.tsx.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Packr } from 'msgpackr'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { jsonCodec, msgpackCodec } from '../../src/core/codecs/index'
import type { WebSocketConstructor } from '../../src/core/config'
import { createStreamManager } from '../../src/core/manager'
import type { StreamManager } from '../../src/core/stream-manager'
import { leakTimers } from '../helpers/leakTimers'
import { createTestServer, type TestServer } from '../helpers/testServer'
import { fakeWebSocket, type FakeSocket } from './support/fakeSocket'

const ROOT = join(import.meta.dirname, '..', '..')

let server: TestServer | undefined
let manager: StreamManager | undefined

afterEach(async () => {
  manager?.destroy()
  manager = undefined
  await server?.close()
  server = undefined
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

/** Every call of every console method, passed through (nothing silenced) and kept as text. */
function recordConsole(): string[] {
  const lines: string[] = []
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method].bind(console)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(
        args
          .map((a) =>
            a instanceof Error
              ? `${a.message} ${a.stack ?? ''}`
              : typeof a === 'string'
                ? a
                : safeJson(a),
          )
          .join(' '),
      )
      original(...args)
    })
  }
  return lines
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

describe('the auth token', () => {
  it('goes only into auth frames: never into other frames, the URL, stats, store, status or error events, or the console', async () => {
    const token = `tok-${Math.random().toString(36).slice(2)}-SECRET`
    const s = await createTestServer()
    server = s
    const consoleLines = recordConsole()
    const urls: string[] = []
    // Records every URL the client dials, then dials it with the real `ws` client.
    const Recording = function (url: string, protocols?: string | string[]) {
      urls.push(url)
      return new NodeWebSocket(url, protocols)
    } as unknown as WebSocketConstructor
    const events: unknown[] = []
    let asked = 0
    const m = createStreamManager({
      url: s.url,
      WebSocket: Recording,
      getToken: () => {
        asked += 1
        // The third request fails with the token in the error text, as a careless provider might.
        if (asked === 3) return Promise.reject(new Error(`could not refresh ${token}`))
        return token
      },
      reconnect: { initialDelayMs: 10, maxDelayMs: 30, jitter: 0 },
    })
    manager = m
    m.on('status', (e) => events.push(e))
    m.on('error', (e) => events.push(e))
    m.on('message', (e) => events.push(e))
    m.subscribe(['BTC-USD', 'ETH-USD'])
    await s.waitFor(
      () => s.received.some((f) => (f as { type?: string }).type === 'subscribe'),
      5_000,
    )
    // The server refuses the token (4401) twice, sends an error, garbage and an app message.
    s.send({ type: 'error', code: 'internal', message: 'boom' })
    s.sendRaw('not json')
    s.send({ type: 'news', text: 'hello' })
    await s.waitFor(() => m.getStats().invalid === 1 && events.length >= 3, 5_000)
    s.closeAll(4401, 'unauthorized')
    await s.waitFor(() => s.opened === 2 && s.openNow === 1, 5_000)
    s.closeAll(4401, 'unauthorized')
    // The third token request fails; the fourth succeeds.
    await s.waitFor(
      () =>
        asked >= 4 && s.openNow === 1 && m.store.getState().connections.default?.status === 'open',
      5_000,
    )
    m.send({ type: 'order', side: 'buy' })
    await s.waitFor(() => s.received.some((f) => (f as { type?: string }).type === 'order'), 5_000)
    // Let the store's frame flush.
    await new Promise((resolve) => setTimeout(resolve, 50))

    const auths = s.received.filter((f) => (f as { type?: string }).type === 'auth')
    expect(auths.length).toBeGreaterThanOrEqual(3)
    expect(auths.every((f) => (f as { token?: string }).token === token)).toBe(true)
    const others = s.received.filter((f) => (f as { type?: string }).type !== 'auth')
    expect(others.length).toBeGreaterThan(0)
    for (const frame of others) expect(JSON.stringify(frame)).not.toContain(token)
    expect(urls.length).toBeGreaterThanOrEqual(3)
    for (const url of urls) expect(url).not.toContain(token)
    expect(JSON.stringify(m.getStats())).not.toContain(token)
    expect(JSON.stringify(m.store.getState())).not.toContain(token)
    // The failing provider did produce an auth error event, without its text.
    expect(events.some((e) => (e as { kind?: string }).kind === 'auth')).toBe(true)
    for (const event of events) expect(safeJson(event)).not.toContain(token)
    for (const line of consoleLines) expect(line).not.toContain(token)
  })
})

describe('maxMessageBytes', () => {
  function openFake(maxMessageBytes: number): { m: StreamManager; socket: FakeSocket } {
    const fake = fakeWebSocket()
    const m = createStreamManager({
      url: 'ws://limits.invalid/ws',
      WebSocket: fake.WebSocket,
      timers: leakTimers(),
      maxMessageBytes,
    })
    manager = m
    const socket = fake.sockets[0] as FakeSocket
    socket.open()
    return { m, socket }
  }

  it('is enforced before decoding: an oversize text or binary frame never reaches a decoder', () => {
    const { m, socket } = openFake(1_000)
    const json = vi.spyOn(jsonCodec, 'decode')
    const msgpack = vi.spyOn(msgpackCodec, 'decode')
    const parse = vi.spyOn(JSON, 'parse')
    const fits = JSON.stringify({ type: 'news', pad: 'x'.repeat(900) })
    socket.deliver(fits)
    // The spies are live: a frame within the limit is decoded once.
    expect(json).toHaveBeenCalledTimes(1)
    json.mockClear()
    parse.mockClear()
    socket.deliver(JSON.stringify({ type: 'news', pad: 'x'.repeat(2_000) }))
    socket.deliver(new Uint8Array(1_001).buffer)
    expect(json).not.toHaveBeenCalled()
    expect(parse).not.toHaveBeenCalled()
    expect(msgpack).not.toHaveBeenCalled()
    expect(m.getStats().invalid).toBe(2)
  })

  it('refuses a 16 MiB frame in constant time, without reading it', () => {
    const { m, socket } = openFake(1_048_576)
    const parse = vi.spyOn(JSON, 'parse')
    const huge = `{"type":"news","pad":"${'x'.repeat(16 * 1024 * 1024)}"}`
    const started = performance.now()
    socket.deliver(huge)
    const took = performance.now() - started
    console.info(`[limits] 16 MiB frame refused in ${took.toFixed(2)} ms`)
    expect(parse).not.toHaveBeenCalled()
    expect(m.getStats().invalid).toBe(1)
    // JSON.parse of this frame takes tens of milliseconds here; refusing it must not.
    expect(took).toBeLessThan(20)
  })
})

describe('no code generation', () => {
  /** `eval(`, `new Function(`, `Function(` and string timers, outside comments. */
  const PATTERNS: [string, RegExp][] = [
    ['eval(', /(^|[^.\w$])eval\s*\(/],
    ['new Function(', /new\s+Function\s*\(/],
    ['Function(', /(^|[^.\w$])Function\s*\(/],
    ['string timer', /set(Timeout|Interval)\s*\(\s*['"`]/],
  ]

  function filesUnder(dir: string, extensions: RegExp): string[] {
    if (!existsSync(dir)) return []
    const out: string[] = []
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) out.push(...filesUnder(path, extensions))
      else if (extensions.test(name)) out.push(path)
    }
    return out
  }

  /** Source without comments, so a TSDoc sentence about `new Function` does not count. */
  function code(text: string): string {
    return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  }

  function offenders(files: string[]): string[] {
    const found: string[] = []
    for (const file of files) {
      const text = code(readFileSync(file, 'utf8'))
      for (const [name, pattern] of PATTERNS)
        if (pattern.test(text)) found.push(`${relative(ROOT, file)}: ${name}`)
    }
    return found
  }

  it('nothing in src/ calls eval, Function or a string timer', () => {
    const files = filesUnder(join(ROOT, 'src'), /\.(ts|tsx)$/)
    expect(files.length).toBeGreaterThan(20)
    expect(offenders(files)).toEqual([])
  })

  it('nothing in the built dist/ does either (when a build is present)', () => {
    const files = filesUnder(join(ROOT, 'dist'), /\.(js|cjs|mjs)$/)
    if (files.length === 0) console.info('[no-eval] no dist/ build present: only src/ was scanned')
    expect(offenders(files)).toEqual([])
  })

  it('the self-test of the scanner finds the patterns it looks for', () => {
    // Guards the two tests above against a pattern that can never match.
    const samples = [
      'const f = new Function("return 1")',
      'eval(x)',
      'x = Function("a", "b")',
      'setTimeout("alert(1)", 1)',
    ]
    for (const sample of samples) expect(PATTERNS.some(([, p]) => p.test(code(sample)))).toBe(true)
    expect(
      PATTERNS.some(([, p]) =>
        p.test(code('// new Function( in a comment\nconst a = retrieval(1)')),
      ),
    ).toBe(false)
  })

  it('decoding MessagePack records never calls eval or Function, even after many records of one shape', () => {
    const fake = fakeWebSocket()
    const m = createStreamManager({
      url: 'ws://records.invalid/ws',
      WebSocket: fake.WebSocket,
      timers: leakTimers(),
      encoding: 'msgpack',
    })
    manager = m
    const messages: unknown[] = []
    m.on('message', (e) => messages.push(e.message))
    const socket = fake.sockets[0] as FakeSocket
    socket.open('tickwire.v1.msgpack')
    // msgpackr's default reader compiles a function once a record shape repeats within one
    // frame (checked here: its default build calls Function for these very frames).
    const packr = new Packr({ useRecords: true })
    const frame = (n: number): ArrayBuffer => {
      const items = Array.from({ length: 10 }, (_, i) => ({ id: n * 10 + i, side: 'buy', qty: i }))
      const bytes = packr.pack({ type: 'orders', n, items })
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer
    }
    const evalSpy = vi.fn()
    const functionSpy = vi.fn()
    vi.stubGlobal('eval', evalSpy)
    vi.stubGlobal('Function', functionSpy)
    for (let n = 0; n < 200; n++) socket.deliver(frame(n))
    vi.unstubAllGlobals()
    expect(evalSpy).not.toHaveBeenCalled()
    expect(functionSpy).not.toHaveBeenCalled()
    expect(m.getStats().invalid).toBe(0)
    expect(messages).toHaveLength(200)
    expect(messages[199]).toMatchObject({
      type: 'orders',
      n: 199,
      items: expect.arrayContaining([{ id: 1999, side: 'buy', qty: 9 }]) as unknown,
    })
  })
})

describe('mixed content', () => {
  function startOn(pageUrl: string, socketUrl: string): { warnings: string[]; errors: unknown[] } {
    vi.stubGlobal('location', new URL(pageUrl))
    const warnings: string[] = []
    const original = console.warn.bind(console)
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(' '))
      original(...args)
    })
    const fake = fakeWebSocket()
    const errors: unknown[] = []
    const m = createStreamManager({
      url: socketUrl,
      WebSocket: fake.WebSocket,
      timers: leakTimers(),
    })
    manager = m
    m.on('error', (e) => errors.push(e))
    return { warnings, errors }
  }

  it('a page served over https with a ws: URL gets one clear warning that names wss:', () => {
    const { warnings } = startOn('https://app.example.com/', 'ws://feed.example.com/ws?key=abc')
    const relevant = warnings.filter((w) => /wss:/.test(w) && /https/i.test(w))
    expect(relevant).toHaveLength(1)
    // The warning must not repeat the URL's query, where credentials sometimes live.
    expect(relevant[0]).not.toContain('key=abc')
  })

  it('an https page with a wss: URL, or an http page with ws:, gets no such warning', () => {
    for (const [page, socket] of [
      ['https://app.example.com/', 'wss://feed.example.com/ws'],
      ['http://localhost:6006/', 'ws://127.0.0.1:8080/ws'],
    ] as const) {
      const { warnings } = startOn(page, socket)
      expect(warnings.filter((w) => /wss:/.test(w))).toEqual([])
      manager?.destroy()
      vi.restoreAllMocks()
      vi.unstubAllGlobals()
    }
  })
})
