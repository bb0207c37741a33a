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
import { banner } from './banner'
import { runPublish } from './cliPublish'
import { createFeedServer, type FeedServer } from './feedServer'
import { fail, readServeFlags, serveOptions, symbolList, toNumber, USAGE } from './serveOptions'

async function main(): Promise<void> {
  if (process.argv[2] === 'publish') {
    runPublish(process.argv.slice(3), symbolList, toNumber, fail)
    return
  }
  const values = readServeFlags()
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const options = serveOptions(values)
  const { port, host } = options

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
    server = await createFeedServer(options)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      fail(`port ${port} on ${host} is already in use; pick another with --port or PORT`)
    if (code === 'EADDRNOTAVAIL') fail(`cannot listen on ${host}: no such local address`)
    fail((error as Error).message)
  }
  process.stdout.write(banner(server, values))
}

void main()
