/**
 * `tickwire-feed publish`: runs a publisher (see publisher.ts) until SIGINT or SIGTERM, when
 * it hands its lease back so a standby takes over at once, and exits 0.
 *
 *   tickwire-feed publish --redis redis://127.0.0.1:6379 [--symbols ...] [--hz 10] [--seed 1]
 *                         [--upstream wss://stream.binance.com:9443/stream
 *                          --exchange-names BTC-USD=BTCUSDT,ETH-USD=ETHUSDT]
 *                         [--prefix tickwire] [--shards 0] [--lease-ms 3000]
 */
import { parseArgs } from 'node:util'
import { createFeedPublisher, type FeedPublisher } from './publisher'

export const PUBLISH_USAGE = `Usage: tickwire-feed publish --redis <url> [options]

  --redis <url>           Redis broker, e.g. redis://127.0.0.1:6379 (required)
  --symbols <list>        comma-separated names, or a count of generated names (default: the built-in list)
  --hz <n>                simulated moves per second (default 10)
  --seed <n>              PRNG seed of the simulated market (default 1)
  --upstream <url>        read an exchange stream (Binance protocol) instead of simulating
  --exchange-names <map>  your names to the exchange's, e.g. BTC-USD=BTCUSDT,ETH-USD=ETHUSDT
  --prefix <name>         prefix of every Redis key and channel (default tickwire)
  --shards <n>            0: a channel per symbol (default); n: symbols hashed onto n channels
  --lease-ms <n>          publisher lease TTL; a standby takes over within about this (default 3000)
  -h, --help              show this help`

type Fail = (message: string) => never
type Numeric = (name: string, raw: string | undefined, fallback: number) => number

function exchangeNames(raw: string | undefined, fail: Fail): Record<string, string> {
  const names: Record<string, string> = Object.create(null) as Record<string, string>
  for (const pair of (raw ?? '').split(',').filter(Boolean)) {
    const [mine, theirs] = pair.split('=').map((s) => s.trim())
    if (!mine || !theirs) fail(`--exchange-names wants NAME=EXCHANGE pairs, got "${pair}"`)
    names[mine] = theirs
  }
  return names
}

/** Parses `publish` options, starts the publisher and reports its lease on stdout. */
export function runPublish(
  args: string[],
  symbolsOf: (raw: string | undefined) => string[] | undefined,
  toNumber: Numeric,
  fail: Fail,
): void {
  let values
  try {
    ;({ values } = parseArgs({
      args,
      options: {
        redis: { type: 'string' },
        symbols: { type: 'string' },
        hz: { type: 'string' },
        seed: { type: 'string' },
        upstream: { type: 'string' },
        'exchange-names': { type: 'string' },
        prefix: { type: 'string' },
        shards: { type: 'string' },
        'lease-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    fail(`${(error as Error).message}\n\n${PUBLISH_USAGE}`)
  }
  if (values.help) {
    process.stdout.write(`${PUBLISH_USAGE}\n`)
    return
  }
  if (!values.redis) fail(`publish needs --redis <url>\n\n${PUBLISH_USAGE}`)
  const symbols = symbolsOf(values.symbols)
  if (values.upstream && !symbols) fail('--upstream needs --symbols naming what to publish')
  const names = exchangeNames(values['exchange-names'], fail)
  const publisher: FeedPublisher = createFeedPublisher({
    redis: {
      url: values.redis,
      ...(values.prefix && { prefix: values.prefix }),
      shards: toNumber('shards', values.shards, 0),
    },
    ...(symbols && { symbols }),
    tickHz: toNumber('hz', values.hz, 10),
    seed: toNumber('seed', values.seed, 1),
    leaseMs: toNumber('lease-ms', values['lease-ms'], 3000),
    ...(values.upstream && {
      upstream: { url: values.upstream, symbols: symbols ?? [], exchangeNames: names },
    }),
  })
  const source = values.upstream ? `upstream ${values.upstream}` : `${values.hz ?? 10} moves/s`
  process.stdout.write(
    `tickwire publisher ${publisher.token}: ${publisher.symbols.length} symbols, ${source}, standby\n`,
  )
  let wasActive = false
  const watch = setInterval(() => {
    if (publisher.active === wasActive) return
    wasActive = publisher.active
    process.stdout.write(`tickwire publisher: ${wasActive ? 'active' : 'standby'}\n`)
  }, 50)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) process.exit(130)
    stopping = true
    clearInterval(watch)
    process.stdout.write(`tickwire publisher: ${signal}, releasing the lease\n`)
    publisher.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`close failed: ${String(error)}`),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}
