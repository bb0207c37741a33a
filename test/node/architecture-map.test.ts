import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * docs/ARCHITECTURE.md maps the core file by file (src/core/connection/connection.ts says the
 * page names each part): a file added to src/core without a line there fails here.
 */
const root = join(import.meta.dirname, '../..')
const core = join(root, 'src', 'core')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** Whether `text` mentions `name` as a whole file name, not as part of a longer one. */
function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(^|[^\\w.-])${escaped}($|[^\\w-])`, 'm').test(text)
}

/**
 * The file map (the page's first code block) cut into one text per folder of src/core: the
 * lines from `  <folder>/` to the next folder, and the lines before the first folder for the
 * files at the top.
 */
function sections(page: string): Map<string, string> {
  const block = /^```\n([\s\S]*?)^```/m.exec(page)?.[1] ?? ''
  const out = new Map<string, string>()
  let folder = ''
  for (const line of block.split('\n')) {
    const heading = /^ {2}([\w-]+)\/(\s|$)/.exec(line)
    if (heading?.[1]) folder = heading[1]
    else if (/^\S/.test(line) && !line.startsWith('src/core/')) folder = '(outside)'
    out.set(folder, `${out.get(folder) ?? ''}${line}\n`)
  }
  return out
}

describe('docs/ARCHITECTURE.md', () => {
  const page = readFileSync(join(root, 'docs', 'ARCHITECTURE.md'), 'utf8')

  it('finds whole file names only (the checker itself)', () => {
    expect(mentions('  diff.ts   the diff', 'diff.ts')).toBe(true)
    expect(mentions('engine/diff.ts', 'diff.ts')).toBe(true)
    expect(mentions('store-diff.ts', 'diff.ts')).toBe(false)
    expect(mentions('diff.tsx', 'diff.ts')).toBe(false)
    const map = sections('```\nsrc/core/\n  a.ts\n  prices/\n    diff.ts\nsrc/react/  b.ts\n```\n')
    expect([...map.keys()]).toEqual(['', 'prices', '(outside)'])
    expect(mentions(map.get('prices') ?? '', 'diff.ts')).toBe(true)
    expect(mentions(map.get('') ?? '', 'diff.ts')).toBe(false)
  })

  it('names every file of src/core in its folder of the file map', () => {
    const map = sections(page)
    const files = filesUnder(core).map((path) => relative(core, path).split('\\').join('/'))
    expect(files.length).toBeGreaterThan(100)
    const missing = files.filter((path) => {
      const parts = path.split('/')
      const name = parts.pop() ?? path
      return !mentions(map.get(parts.join('/')) ?? '', name)
    })
    expect(missing).toEqual([])
  })
})
