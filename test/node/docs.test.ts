import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { listExports, type ApiExport } from '../../scripts/api-reference.mjs'

/**
 * The docs keep up with the code: every export of every entry (values and types) is named in
 * README.md's `## API reference` section, which `npm run docs:api` generates from the TSDoc.
 */
const root = join(import.meta.dirname, '../..')

/** The text from `## API reference` to the next second-level heading. */
function apiSection(readme: string): string | undefined {
  const start = readme.search(/^## API reference\s*$/m)
  if (start < 0) return undefined
  const rest = readme.slice(start + 1)
  const end = rest.search(/^## /m)
  return end < 0 ? rest : rest.slice(0, end)
}

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

  it("README.md's API reference section names every runtime and type export", () => {
    const readmePath = join(root, 'README.md')
    expect(existsSync(readmePath), 'README.md is missing').toBe(true)
    const section = apiSection(readFileSync(readmePath, 'utf8'))
    expect(section, 'README.md has no "## API reference" section').toBeDefined()
    expect(
      missingFrom(section ?? ''),
      'exports missing from the API reference (run `node scripts/api-reference.mjs`)',
    ).toEqual([])
  })
})
