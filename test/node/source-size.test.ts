import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * Keeps src/ readable (docs/CONTRIBUTING.md): no file over 300 lines and no function over 80,
 * a function counted whole, with the closures inside it, as a reader has to hold it.
 */
const root = join(import.meta.dirname, '../..')
const MAX_FILE_LINES = 300
const MAX_FUNCTION_LINES = 80

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourcesUnder(path)
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** `file:line name (N lines)` for every function of `path` longer than the limit. */
function longFunctions(path: string, text: string): string[] {
  const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line
      const last = source.getLineAndCharacterOfPosition(node.end).line
      const lines = last - first + 1
      if (lines > MAX_FUNCTION_LINES) {
        const named = node.name ?? (node.parent as { name?: ts.Node }).name
        found.push(
          `${relative(root, path)}:${first + 1} ${named?.getText() ?? '(anonymous)'} (${lines} lines)`,
        )
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('source size', () => {
  const files = sourcesUnder(join(root, 'src'))

  it(`no file in src/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((path) => ({ path, lines: readFileSync(path, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ path, lines }) => `${relative(root, path)} (${lines} lines)`)
    expect(long).toEqual([])
  })

  it(`no function in src/ is over ${MAX_FUNCTION_LINES} lines, nested closures included`, () => {
    const long = files.flatMap((path) => longFunctions(path, readFileSync(path, 'utf8')))
    expect(long).toEqual([])
  })

  it('the check sees a long function when there is one', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const v${i} = ${i}`)
    const text = `export function tooLong() {\n${body.join('\n')}\n}\n`
    expect(longFunctions(join(root, 'src', 'example.ts'), text)).toEqual([
      `src/example.ts:1 tooLong (${MAX_FUNCTION_LINES + 2} lines)`,
    ])
  })
})
