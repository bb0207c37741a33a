/**
 * Compression part: what permessage-deflate saves on the wire and costs the server. Run
 * `npm run bench -- --only=compression` (or `node --import tsx bench/compression/run.ts`).
 * Flags: `--quick`, `--rounds=N`, `--ticks=N`, `--clients=N`, `--symbols=N`.
 *
 * For JSON and MessagePack, with the server's compression on and off, it starts the feed
 * server in a child process (bench/compression/server.ts), connects clients that offer
 * permessage-deflate as browsers do, subscribes them to the whole board and moves the market
 * at a steady pace. It counts the bytes each client's TCP socket read (what crossed the wire,
 * frame headers included) and the server process's CPU time, per price message delivered.
 * The four cases run interleaved, round by round, in the same run; medians are reported, with
 * ratios against compression off for the same encoding.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net'
import { WebSocket } from 'ws'
import { decodeMsgpack, JSON_SUBPROTOCOL, MSGPACK_SUBPROTOCOL } from '../../src/server'
import { describeMachine, machineInfo } from '../lib/machine'
import { flags, fmt, median, ratio, table, writeResults } from '../lib/stats'

const args = flags()
const quick = args.has('quick')
const ROUNDS = Number(args.get('rounds') ?? (quick ? 1 : 5))
const TICKS = Number(args.get('ticks') ?? (quick ? 100 : 400))
const CLIENTS = Number(args.get('clients') ?? 10)
const SYMBOLS = Number(args.get('symbols') ?? 100)
const EVERY_MS = 5

type Encoding = 'json' | 'msgpack'
interface Case {
  encoding: Encoding
  compression: boolean
}
interface Sample {
  wireBytes: number
  messages: number
  frames: number
  cpuMicros: number
  /** Bytes the server handed to `ws` (before compression). */
  payloadBytes: number
}

const CASES: Case[] = [
  { encoding: 'json', compression: false },
  { encoding: 'json', compression: true },
  { encoding: 'msgpack', compression: false },
  { encoding: 'msgpack', compression: true },
]

function nextMessage<T>(child: ChildProcess, has: keyof T): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: T) => {
      if (typeof message === 'object' && message !== null && has in message) {
        child.off('message', listener)
        resolve(message)
      }
    }
    child.on('message', listener)
  })
}

interface BenchClient {
  ws: WebSocket
  socket: () => Socket
  messages: number
  frames: number
  snapshots: number
}

/** A client that offers permessage-deflate (the `ws` default, as browsers do) and counts. */
async function openClient(url: string, encoding: Encoding): Promise<BenchClient> {
  let socket: Socket | undefined
  const tap = (opts: NetConnectOpts): Socket => (socket = netConnect(opts))
  const protocol = encoding === 'json' ? JSON_SUBPROTOCOL : MSGPACK_SUBPROTOCOL
  const ws = new WebSocket(url, [protocol], {
    perMessageDeflate: true,
    createConnection: tap as typeof netConnect,
  })
  const client: BenchClient = {
    ws,
    socket: () => socket as Socket,
    messages: 0,
    frames: 0,
    snapshots: 0,
  }
  ws.on('message', (data, isBinary) => {
    const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[])
    const message = (isBinary ? decodeMsgpack(buffer) : JSON.parse(buffer.toString())) as {
      type: string
      messages?: { type: string }[]
    }
    const inner = message.type === 'batch' ? (message.messages ?? []) : [message]
    client.frames += 1
    for (const m of inner) {
      if (m.type === 'delta') client.messages += 1
      else if (m.type === 'snapshot') client.snapshots += 1
    }
  })
  await once(ws, 'open')
  return client
}

async function waitUntil(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the clients')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

async function runCase({ encoding, compression }: Case): Promise<Sample> {
  const child = fork(
    'bench/compression/server.ts',
    [...(compression ? ['--compression'] : []), `--symbols=${SYMBOLS}`],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  )
  try {
    const { url, symbols } = await nextMessage<{ url: string; symbols: string[] }>(child, 'url')
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, () => openClient(url, encoding)),
    )
    for (const c of clients) c.ws.send(JSON.stringify({ type: 'subscribe', id: 1, symbols }))
    await waitUntil(() => clients.every((c) => c.snapshots === symbols.length))
    const negotiated = clients.every((c) => c.ws.extensions.startsWith('permessage-deflate'))
    if (negotiated !== compression) throw new Error(`deflate negotiated: ${negotiated}`)

    const bytesBefore = clients.map((c) => c.socket().bytesRead)
    const framesBefore = clients.map((c) => c.frames)
    const messagesBefore = clients.map((c) => c.messages)
    child.send({ run: TICKS, everyMs: EVERY_MS })
    const { ticked } = await nextMessage<{ ticked: number }>(child, 'ticked')
    const perClient = ticked / CLIENTS
    await waitUntil(() => clients.every((c, i) => c.frames - (framesBefore[i] ?? 0) >= perClient))
    child.send({ report: true })
    const report = await nextMessage<{ cpuMicros: number; bytesSent: number }>(child, 'cpuMicros')
    const sum = (f: (c: BenchClient, i: number) => number) =>
      clients.reduce((total, c, i) => total + f(c, i), 0)
    const sample: Sample = {
      wireBytes: sum((c, i) => c.socket().bytesRead - (bytesBefore[i] ?? 0)),
      messages: sum((c, i) => c.messages - (messagesBefore[i] ?? 0)),
      frames: ticked,
      cpuMicros: report.cpuMicros,
      payloadBytes: report.bytesSent,
    }
    for (const c of clients) c.ws.terminate()
    return sample
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, 'exit')
      // The child exits by itself after its report; this is for a failed run.
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
      await exited
    }
  }
}

const machine = machineInfo()
console.log(`\nCompression (permessage-deflate) · ${describeMachine(machine)}`)
console.log(
  `${CLIENTS} clients × ${SYMBOLS} symbols, ${TICKS} market steps every ${EVERY_MS} ms (25% of symbols move per step), ${ROUNDS} rounds\n`,
)

const samples = new Map<Case, Sample[]>(CASES.map((c) => [c, []]))
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved: load from elsewhere on the machine hits every case alike.
  for (const c of CASES) samples.get(c)?.push(await runCase(c))
}

interface Summary extends Case {
  wireBytesPerMessage: number
  payloadBytesPerMessage: number
  cpuMicrosPerMessage: number
  messagesPerRound: number
}
const summaries: Summary[] = CASES.map((c) => {
  const list = samples.get(c) ?? []
  return {
    ...c,
    wireBytesPerMessage: median(list.map((s) => s.wireBytes / s.messages)),
    payloadBytesPerMessage: median(list.map((s) => s.payloadBytes / s.messages)),
    cpuMicrosPerMessage: median(list.map((s) => s.cpuMicros / s.messages)),
    messagesPerRound: median(list.map((s) => s.messages)),
  }
})
const baseline = (s: Summary) =>
  summaries.find((o) => o.encoding === s.encoding && !o.compression) as Summary

const rows = summaries.map((s) => [
  `${s.encoding === 'json' ? 'JSON' : 'MessagePack'}, compression ${s.compression ? 'on' : 'off'}`,
  fmt(s.payloadBytesPerMessage, 1),
  fmt(s.wireBytesPerMessage, 1),
  ratio(s.wireBytesPerMessage / baseline(s).wireBytesPerMessage),
  fmt(s.cpuMicrosPerMessage, 2),
  ratio(s.cpuMicrosPerMessage / baseline(s).cpuMicrosPerMessage),
  fmt(s.messagesPerRound),
])
console.log(
  table(
    [
      'case',
      'payload bytes / msg',
      'wire bytes / msg',
      'vs off',
      'server CPU µs / msg',
      'vs off',
      'msgs / round',
    ],
    rows,
  ),
)
const path = writeResults('compression', {
  machine,
  settings: { rounds: ROUNDS, ticks: TICKS, clients: CLIENTS, symbols: SYMBOLS, everyMs: EVERY_MS },
  summaries,
  samples: CASES.map((c) => ({ ...c, rounds: samples.get(c) })),
})
console.log(`\nraw results: ${path}`)
