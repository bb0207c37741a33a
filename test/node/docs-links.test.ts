import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Every relative link in README.md and docs/ leads somewhere: the file exists and, when the
 * link names an anchor, the target has a heading with that GitHub slug.
 */
const root = join(import.meta.dirname, '../..')

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return markdownFiles(path)
    return name.endsWith('.md') ? [path] : []
  })
}

/** GitHub's heading anchor: lowercased, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!heading?.[1]) continue
    const base = heading[1]
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    slugs.add(count === 0 ? base : `${base}-${count}`)
  }
  return slugs
}

/** Link targets outside code: `[text](target)` and `![alt](target)`, titles dropped. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '')
}

const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))]

describe('links in README.md and docs/', () => {
  it.each(files.map((file) => [relative(root, file), file]))('%s has no dead link', (_, file) => {
    const text = readFileSync(file, 'utf8')
    const dead: string[] = []
    for (const target of linkTargets(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
      const [path = '', anchor] = target.split('#')
      const resolved = path === '' ? file : join(dirname(file), decodeURIComponent(path))
      if (!existsSync(resolved)) {
        dead.push(`${target} (no file ${relative(root, resolved)})`)
        continue
      }
      if (anchor === undefined || anchor === '' || !resolved.endsWith('.md')) continue
      if (!headingSlugs(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor))) {
        dead.push(`${target} (no heading #${anchor} in ${relative(root, resolved)})`)
      }
    }
    expect(dead).toEqual([])
  })

  it('computes GitHub heading anchors (the checker itself)', () => {
    const slugs = headingSlugs(
      '# A B\n## `tickwire/core` without React (Node)\n# A B\n```\n# not\n```',
    )
    expect([...slugs]).toEqual(['a-b', 'tickwirecore-without-react-node', 'a-b-1'])
  })
})
