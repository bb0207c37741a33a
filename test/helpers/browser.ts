/**
 * What every test that drives Chromium shares: the launch flags that work on a machine with no
 * network but loopback, the binary `npm test` found (scripts/chromium.mjs), and a static file
 * server for built pages. vitest.config.ts uses the same flags for the browser project.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'

/**
 * Headless, no sandbox (root in CI), and none of Chromium's own network traffic: without the
 * background-networking flags it tries Google's hosts at every start and logs the refusals.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** The Chromium `npm test` chose, or Debian's. */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
}

/** A running static server: its origin, and `close()`. */
export interface StaticServer {
  origin: string
  server: Server
  close(): Promise<void>
}

/** Serves a built folder on 127.0.0.1, port 0, confined to that folder. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const root = resolve(dir)
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    // Chromium asks every new origin for /favicon.ico; a build without one would otherwise log
    // a 404 as a console error on whichever page loads first.
    if (path === '/favicon.ico') {
      res.writeHead(204).end()
      return
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path))
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end()
      return
    }
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
