#!/usr/bin/env node
/**
 * `tickwire-feed`: runs the reference feed server with a simulated market.
 *
 *   tickwire-feed [--port 8080] [--host 127.0.0.1] [--symbols BTC-USD,AAPL | --symbols 200]
 *                 [--hz 10] [--seed 1] [--no-compression] [--redis redis://host:6379]
 *   tickwire-feed publish --redis redis://host:6379 [...]   (see cliPublish.ts)
 *
 * With `--redis` the server is an edge node: it takes its market from Redis, where a
 * `tickwire-feed publish` process writes it, instead of simulating one.
 *
 * Prints the URLs, then serves until SIGINT or SIGTERM, when it closes every socket and exits 0.
 * Exits 1 with a plain message when the port is taken or an option is wrong.
 */
import { parseArgs } from 'node:util'
import { generateSymbols } from './catalogue'
import { runPublish } from './cliPublish'
import { createFeedServer, type FeedServer } from './feedServer'

const USAGE = `Usage: tickwire-feed [options]
       tickwire-feed publish --redis <url> [options]   (run with publish --help for its options)

  --port <n>       TCP port (default: $PORT or 8080; 0 picks a free one)
  --host <addr>    interface to listen on (default 127.0.0.1)
  --symbols <list> comma-separated names, or a count of generated names (default: the built-in list)
  --hz <n>         market moves per second (default 10)
  --seed <n>       PRNG seed of the simulated market (default 1)
  --no-compression send plain WebSocket frames even to clients that offer permessage-deflate
  --redis <url>    edge node: serve the market a publisher writes to this Redis
  --prefix <name>  with --redis: prefix of the Redis keys and channels (default tickwire)
  -h, --help       show this help`

function fail(message: string): never {
  process.stderr.write(`tickwire-feed: ${message}\n`)
  process.exit(1)
}

function toNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0)
    fail(`--${name} must be a non-negative number, got "${raw}"`)
  return value
}

function symbolList(raw: string | undefined): string[] | undefined {
  const text = raw?.trim()
  if (text === undefined || text === '') return undefined
  const symbols = /^\d+$/.test(text)
    ? generateSymbols(Number(text))
    : text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
  if (symbols.length === 0) fail('--symbols must name at least one symbol')
  return symbols
}

async function main(): Promise<void> {
  if (process.argv[2] === 'publish') {
    runPublish(process.argv.slice(3), symbolList, toNumber, fail)
    return
  }
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        redis: { type: 'string' },
        prefix: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        symbols: { type: 'string' },
        hz: { type: 'string' },
        seed: { type: 'string' },
        'no-compression': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`)
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const port = toNumber('port', values.port ?? process.env.PORT, 8080)
  const host = values.host ?? '127.0.0.1'
  const symbols = symbolList(values.symbols)

  // Handlers first: a signal that arrives while the server starts still ends the process cleanly.
  let server: FeedServer | undefined
  let stopping = false
  const stop = (signal: string) => {
    // A second Ctrl-C while closing means "now".
    if (stopping) process.exit(130)
    stopping = true
    process.stdout.write(`tickwire feed: ${signal}, closing\n`)
    if (!server) process.exit(0)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`close failed: ${String(error)}`),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  try {
    server = await createFeedServer({
      port,
      host,
      tickHz: toNumber('hz', values.hz, 10),
      seed: toNumber('seed', values.seed, 1),
      compression: !values['no-compression'],
      ...(symbols && { symbols }),
      ...(values.redis && {
        redis: { url: values.redis, ...(values.prefix && { prefix: values.prefix }) },
      }),
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      fail(`port ${port} on ${host} is already in use; pick another with --port or PORT`)
    if (code === 'EADDRNOTAVAIL') fail(`cannot listen on ${host}: no such local address`)
    fail((error as Error).message)
  }

  const count = server.market.symbols.length
  process.stdout.write(
    [
      (values.redis
        ? `tickwire feed: edge node, market from ${values.redis}`
        : `tickwire feed: ${count} symbols, ${values.hz ?? 10} moves/s, seed ${values.seed ?? 1}`) +
        (values['no-compression'] ? ', no compression' : ''),
      `  WebSocket ${server.url}`,
      `  REST      ${server.restUrl}/prices?symbols=BTC-USD,AAPL`,
      `  SSE       ${server.sseUrl}?symbols=BTC-USD,AAPL`,
      `  health    ${server.restUrl}/health   metrics ${server.restUrl}/metrics`,
      '',
    ].join('\n'),
  )
}

void main()
