import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { listExports, type ApiExport } from '../../scripts/api-reference.mjs'

/**
 * The docs keep up with the code: every export of every entry (values and types) is named in
 * docs/API.md, which `npm run docs:api` generates from the TSDoc.
 */
const root = join(import.meta.dirname, '../..')

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

let exports: ApiExport[]

/** Export names that `text` does not mention as a whole word. */
function missingFrom(text: string): string[] {
  return [...new Set(exports.map((e) => e.name))].filter(
    (name) => !new RegExp(`(^|[^\\w$])${escape(name)}([^\\w$]|$)`).test(text),
  )
}

beforeAll(() => {
  // One TypeScript program over the four entries: a few seconds, more on a loaded machine.
  exports = listExports()
}, 120_000)

describe('API reference', () => {
  it('lists the exports of every entry', () => {
    const entries = new Set(exports.map((e) => e.entry))
    expect([...entries].sort()).toEqual([
      'tickwire',
      'tickwire/core',
      'tickwire/devtools',
      'tickwire/server',
    ])
    expect(exports.find((e) => e.name === 'createStreamManager')?.isType).toBe(false)
    expect(exports.find((e) => e.name === 'StreamState')?.isType).toBe(true)
  })

  it('docs/API.md names every runtime and type export', () => {
    const apiPath = join(root, 'docs', 'API.md')
    expect(existsSync(apiPath), 'docs/API.md is missing (run `npm run docs:api`)').toBe(true)
    expect(
      missingFrom(readFileSync(apiPath, 'utf8')),
      'exports missing from docs/API.md (run `npm run docs:api`)',
    ).toEqual([])
  })
})
