#!/usr/bin/env node
/**
 * `tickwire-feed`: runs the reference feed server with a simulated market.
 *
 *   tickwire-feed [--port 8080] [--host 127.0.0.1] [--symbols BTC-USD,AAPL | --symbols 200]
 *                 [--hz 10] [--seed 1] [--no-compression]
 *
 * Prints the URLs, then serves until SIGINT or SIGTERM, when it closes every socket and exits 0.
 * Exits 1 with a plain message when the port is taken or an option is wrong.
 */
import { parseArgs } from 'node:util'
import { generateSymbols } from './catalogue'
import { createFeedServer, type FeedServer } from './feedServer'

const USAGE = `Usage: tickwire-feed [options]

  --port <n>       TCP port (default: $PORT or 8080; 0 picks a free one)
  --host <addr>    interface to listen on (default 127.0.0.1)
  --symbols <list> comma-separated names, or a count of generated names (default: the built-in list)
  --hz <n>         market moves per second (default 10)
  --seed <n>       PRNG seed of the simulated market (default 1)
  --no-compression send plain WebSocket frames even to clients that offer permessage-deflate
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

async function main(): Promise<void> {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
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
  const rawSymbols = values.symbols?.trim()
  const symbols =
    rawSymbols === undefined || rawSymbols === ''
      ? undefined
      : /^\d+$/.test(rawSymbols)
        ? generateSymbols(Number(rawSymbols))
        : rawSymbols
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)

  // Handlers first: a signal that arrives while the server starts still ends the process cleanly.
  if (symbols?.length === 0) fail('--symbols must name at least one symbol')
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
      `tickwire feed: ${count} symbols, ${values.hz ?? 10} moves/s, seed ${values.seed ?? 1}` +
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
