/**
 * The command line of `tickwire-feed` (cli.ts): its usage text, the flags it reads, the
 * server options they ask for, and the readers of numbers and symbol lists that `publish`
 * (cliPublish.ts) uses too. A wrong flag ends the process with a plain message and exit 1.
 */
import { parseArgs } from 'node:util'
import { generateSymbols } from './catalogue'
import type { FeedServerOptions } from './types'

/** The help text of `tickwire-feed`. */
export const USAGE = `Usage: tickwire-feed [options]
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

/** The flags of `tickwire-feed`, as given. */
export interface ServeFlags {
  redis?: string | undefined
  prefix?: string | undefined
  port?: string | undefined
  host?: string | undefined
  symbols?: string | undefined
  hz?: string | undefined
  seed?: string | undefined
  'no-compression'?: boolean | undefined
  help?: boolean | undefined
}

/** Options of the server `tickwire-feed` starts; `port` and `host` always set. */
export type ServeOptions = FeedServerOptions & { port: number; host: string }

/** Prints `tickwire-feed: message` on stderr and exits 1. */
export function fail(message: string): never {
  process.stderr.write(`tickwire-feed: ${message}\n`)
  process.exit(1)
}

/** A non-negative number flag, or `fallback` when absent. */
export function toNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0)
    fail(`--${name} must be a non-negative number, got "${raw}"`)
  return value
}

/** A `--symbols` flag: comma-separated names, or a count of generated ones. */
export function symbolList(raw: string | undefined): string[] | undefined {
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

/** The flags of this process' command line. */
export function readServeFlags(): ServeFlags {
  try {
    return parseArgs({
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
    }).values
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`)
  }
}

/** The server options the flags ask for. */
export function serveOptions(values: ServeFlags): ServeOptions {
  const port = toNumber('port', values.port ?? process.env.PORT, 8080)
  const host = values.host ?? '127.0.0.1'
  const symbols = symbolList(values.symbols)
  return {
    port,
    host,
    tickHz: toNumber('hz', values.hz, 10),
    seed: toNumber('seed', values.seed, 1),
    compression: !values['no-compression'],
    ...(symbols && { symbols }),
    ...(values.redis && {
      redis: { url: values.redis, ...(values.prefix && { prefix: values.prefix }) },
    }),
  }
}
