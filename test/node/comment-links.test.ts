import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * Every markdown file a source comment names exists in this repository, so a reader who follows
 * a comment finds the page. A name with a folder (`docs/guides/connection.md`) must match the
 * end of a path in the repository; a bare name (`PROTOCOL.md`) must be the name of some file.
 */
const root = join(import.meta.dirname, '../..')
const SCANNED = ['src', 'scripts', 'test', 'bench', 'stories']
const SOURCE = new Set(['.ts', '.tsx', '.mts', '.mjs', '.js', '.cjs'])
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'storybook-static', 'coverage', '.cache'])

function walk(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED_DIRS.has(name) || name.startsWith('.')) return []
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return walk(path, keep)
    return keep(path) ? [path] : []
  })
}

/** The text of every comment in a source file, read with TypeScript's own scanner. */
function commentsOf(text: string, fileName: string): string[] {
  const jsx = fileName.endsWith('.tsx') || fileName.endsWith('.jsx')
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard,
    text,
  )
  const out: string[] = []
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (
      kind === ts.SyntaxKind.SingleLineCommentTrivia ||
      kind === ts.SyntaxKind.MultiLineCommentTrivia
    ) {
      out.push(scanner.getTokenText())
    }
  }
  return out
}

/** Markdown file names in a comment: `docs/PROTOCOL.md`, `CHANGELOG.md`. */
function markdownNames(comment: string): string[] {
  return [...comment.matchAll(/(?<![\w/.-])((?:[\w.-]+\/)*[\w.-]+\.md)\b/g)].map((m) => m[1] ?? '')
}

const repoFiles = walk(root, () => true).map((path) => relative(root, path).split('\\').join('/'))

function exists(name: string): boolean {
  const clean = name.replace(/^\.\//, '')
  return repoFiles.some((path) => path === clean || path.endsWith(`/${clean}`))
}

describe('markdown files named in source comments', () => {
  it('finds names in comments (the checker itself)', () => {
    const comments = commentsOf(
      "// see docs/PROTOCOL.md §1\nconst a = 'NOT.md'\n/** CHANGELOG.md and x.md */",
      'x.ts',
    )
    expect(comments.flatMap(markdownNames)).toEqual(['docs/PROTOCOL.md', 'CHANGELOG.md', 'x.md'])
    expect(exists('PROTOCOL.md')).toBe(true)
    expect(exists('docs/PROTOCOL.md')).toBe(true)
    expect(exists('NOWHERE.md')).toBe(false)
  })

  it('every one exists in the repository', () => {
    const files = SCANNED.flatMap((dir) =>
      walk(join(root, dir), (path) => SOURCE.has(extname(path)) && !path.endsWith('.d.ts')),
    )
    expect(files.length).toBeGreaterThan(50)
    const missing: string[] = []
    for (const file of files) {
      for (const comment of commentsOf(readFileSync(file, 'utf8'), file)) {
        for (const name of markdownNames(comment)) {
          if (!exists(name)) missing.push(`${relative(root, file)} names ${name}`)
        }
      }
    }
    expect(missing).toEqual([])
  })
})
