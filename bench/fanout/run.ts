/**
 * `npm run bench -- --only=fanout`: K client sockets over 1 and 2 feed nodes on loopback, M
 * symbols, in one run: the embedded server (no Redis) against edge nodes fed by a publisher
 * through a real redis-server. Reports deliveries per second, publish-to-client latency (p50,
 * p99) and CPU per process, then the channel trade-off (a channel per symbol against 16
 * shard channels) when each node's clients want half of the symbols.
 *
 * Flags: --clients=200 --symbols=100 --per-client=10 --hz=20 --seconds=6 --warmup=2 --quick
 */
import { machineInfo, describeMachine } from '../lib/machine'
import { flags, fmt, percentile, table, writeResults } from '../lib/stats'
import { generateSymbols } from '../../src/server'
import { startRedis, type RedisServer } from '../../test/helpers/redisServer'
import { openClients } from './clients'
import { cpuSeconds, runCli, type Child } from './processes'

const args = flags()
const quick = args.has('quick')
const K = Number(args.get('clients') ?? (quick ? 40 : 200))
const M = Number(args.get('symbols') ?? 100)
const PER_CLIENT = Number(args.get('per-client') ?? 10)
const HZ = Number(args.get('hz') ?? 20)
const SECONDS = Number(args.get('seconds') ?? (quick ? 2 : 6))
const WARMUP = Number(args.get('warmup') ?? (quick ? 1 : 2))

interface Scenario {
  name: string
  redis: boolean
  nodes: number
  clients: number
  symbols: number
  hz: number
  shards?: number
}

interface Result extends Scenario {
  movesPerSecond: number
  deliveriesPerSecond: number
  p50Ms: number
  p99Ms: number
  /** Percent of one core over the measured window, per process. */
  cpu: Record<string, number>
  /** Moves each node received for symbols none of its clients wanted, per second. */
  unwantedPerSecond: number[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function healthy(restUrl: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const ok = await fetch(`${restUrl}/health`).then(
      (res) => res.status === 200,
      () => false,
    )
    if (ok) return
    await sleep(100)
  }
  throw new Error(`${restUrl} never became healthy`)
}

async function unwanted(restUrls: string[]): Promise<number[]> {
  return Promise.all(
    restUrls.map(async (url) => {
      const metrics = (await (await fetch(`${url}/metrics`)).json()) as {
        redis?: { unwanted: number }
      }
      return metrics.redis?.unwanted ?? 0
    }),
  )
}

async function run(scenario: Scenario, redis: RedisServer, index: number): Promise<Result> {
  const prefix = `bench${index}`
  const children: Child[] = []
  const market = ['--symbols', String(scenario.symbols), '--hz', String(scenario.hz)]
  try {
    if (scenario.redis) {
      const publisher = runCli('publisher', [
        'publish',
        '--redis',
        redis.url,
        '--prefix',
        prefix,
        '--shards',
        String(scenario.shards ?? 0),
        ...market,
      ])
      children.push(publisher)
      await publisher.match(/publisher: active/)
    }
    for (let n = 0; n < scenario.nodes; n++) {
      const extra = scenario.redis ? ['--redis', redis.url, '--prefix', prefix] : market
      children.push(runCli(`node${n + 1}`, ['--port', '0', ...extra]))
    }
    const nodes = children.filter((c) => c.name.startsWith('node'))
    const urls = await Promise.all(nodes.map(async (c) => (await c.match(/WebSocket (\S+)/))[1]))
    const restUrls = urls.map((u) => (u as string).replace(/^ws/, 'http').replace(/\/ws$/, ''))
    await Promise.all(restUrls.map(healthy))
    const symbols = generateSymbols(scenario.symbols)
    const fleet = await openClients(urls as string[], scenario.clients, symbols, PER_CLIENT)
    const deadline = Date.now() + 30_000
    while (fleet.snapshots < scenario.clients * PER_CLIENT && Date.now() < deadline) await sleep(50)
    await sleep(WARMUP * 1000)
    const pids: Record<string, number | undefined> = { clients: process.pid }
    for (const child of children) pids[child.name] = child.process.pid
    if (scenario.redis) pids['redis'] = redis.pid
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuSeconds(p)]))
    const unwantedBefore = await unwanted(restUrls)
    fleet.reset()
    const started = performance.now()
    await sleep(SECONDS * 1000)
    const elapsed = (performance.now() - started) / 1000
    const deliveries = fleet.deliveries
    const latencies = fleet.latencies
    const cpu: Record<string, number> = {}
    for (const [name, pid] of Object.entries(pids))
      cpu[name] = ((cpuSeconds(pid) - (cpuBefore[name] ?? 0)) / elapsed) * 100
    const unwantedAfter = await unwanted(restUrls)
    await fleet.close()
    return {
      ...scenario,
      movesPerSecond: Math.max(1, Math.round(scenario.symbols * 0.25)) * scenario.hz,
      deliveriesPerSecond: deliveries / elapsed,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      cpu,
      unwantedPerSecond: unwantedAfter.map((v, i) => (v - (unwantedBefore[i] ?? 0)) / elapsed),
    }
  } finally {
    for (const child of children.reverse()) await child.stop()
  }
}

function cpuCell(cpu: Record<string, number>): string {
  return Object.entries(cpu)
    .map(([name, value]) => `${name} ${fmt(value)}%`)
    .join(', ')
}

async function main(): Promise<void> {
  const machine = machineInfo()
  console.log(`\n## fanout: ${describeMachine(machine)}`)
  const sparse = { symbols: M * 10, hz: Math.max(1, HZ / 4) }
  const scenarios: Scenario[] = [
    { name: '1 node, no Redis', redis: false, nodes: 1, clients: K, symbols: M, hz: HZ },
    { name: '1 node, Redis', redis: true, nodes: 1, clients: K, symbols: M, hz: HZ },
    { name: '1 node, Redis, 2K', redis: true, nodes: 1, clients: 2 * K, symbols: M, hz: HZ },
    { name: '2 nodes, Redis, 2K', redis: true, nodes: 2, clients: 2 * K, symbols: M, hz: HZ },
    { name: 'half each: per-symbol channels', redis: true, nodes: 2, clients: 2 * K, ...sparse },
    {
      name: 'half each: 16 shard channels',
      redis: true,
      nodes: 2,
      clients: 2 * K,
      ...sparse,
      shards: 16,
    },
  ]
  const redis = await startRedis()
  const results: Result[] = []
  try {
    for (const [i, scenario] of scenarios.entries()) {
      console.log(`[fanout] ${scenario.name}: ${scenario.clients} clients ...`)
      results.push(await run(scenario, redis, i))
    }
  } finally {
    await redis.stop()
  }
  const rows = results.map((r) => [
    r.name,
    fmt(r.clients),
    fmt(r.symbols),
    fmt(r.movesPerSecond),
    fmt(r.deliveriesPerSecond),
    fmt(r.p50Ms, 1),
    fmt(r.p99Ms, 1),
    r.unwantedPerSecond.length > 0 ? r.unwantedPerSecond.map((u) => fmt(u)).join(' / ') : '-',
    cpuCell(r.cpu),
  ])
  console.log(
    table(
      [
        'scenario',
        'clients',
        'symbols',
        'moves/s',
        'deliveries/s',
        'p50 ms',
        'p99 ms',
        'unwanted/s per node',
        'CPU (% of one core)',
      ],
      rows,
    ),
  )
  const [embedded, one, , two] = results
  const added = (one?.p99Ms ?? NaN) - (embedded?.p99Ms ?? NaN)
  console.log(
    `\nRedis adds ${fmt(added, 1)} ms to p99 at ${fmt(one?.deliveriesPerSecond)} deliveries/s (goal: at most 2 ms): ${added <= 2 ? 'met' : 'missed'}`,
  )
  const sameP99 = (two?.p99Ms ?? Infinity) <= (one?.p99Ms ?? 0) * 1.1 + 1
  console.log(
    `2 nodes carried ${fmt((two?.clients ?? 0) / (one?.clients ?? 1), 1)}x the clients of 1 node at p99 ${fmt(two?.p99Ms, 1)} ms vs ${fmt(one?.p99Ms, 1)} ms (goal: 1.7x at the same p99): ${sameP99 ? 'met' : 'missed'}`,
  )
  const path = writeResults('fanout', {
    machine,
    settings: {
      clients: K,
      symbols: M,
      perClient: PER_CLIENT,
      hz: HZ,
      seconds: SECONDS,
      warmup: WARMUP,
    },
    results,
  })
  console.log(`raw results: ${path}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
