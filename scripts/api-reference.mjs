// The API reference, docs/API.md, generated from the TSDoc of every export.
//
//   node scripts/api-reference.mjs            rewrites docs/API.md
//   node scripts/api-reference.mjs --check    fails when docs/API.md is out of date
//
// It reads the entries through the TypeScript compiler API (the same program `tsc` builds),
// so what it lists is exactly what each entry exports: values and types, re-exports resolved.
// test/node/docs.test.ts uses `listExports` to check that docs/API.md mentions every one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The package's entries: import path and source file. */
export const ENTRIES = [
  { id: 'tickwire', file: 'src/index.ts' },
  { id: 'tickwire/core', file: 'src/core/index.ts' },
  { id: 'tickwire/server', file: 'src/server/index.ts' },
  { id: 'tickwire/devtools', file: 'src/devtools/index.ts' },
]

function createProgram() {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    },
  )
  return ts.createProgram({
    rootNames: ENTRIES.map((e) => join(root, e.file)),
    options: config.options,
  })
}

/** TSDoc text as markdown: `{@link X}` becomes `X` in code. */
function text(parts) {
  return ts
    .displayPartsToString(parts)
    .replace(/\{@link\s+([^}|\s]+)(?:\s*\|?\s*[^}]*)?\}/g, '`$1`')
    .split('\n\n')[0]
    .replace(/\s+/g, ' ')
    .trim()
}

function kindOf(symbol, checker) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  const flags = target.flags
  const decl = target.declarations?.[0]
  if (flags & ts.SymbolFlags.Function)
    return /^[A-Z]/.test(symbol.name)
      ? 'component'
      : /^use[A-Z]/.test(symbol.name)
        ? 'hook'
        : 'function'
  if (flags & ts.SymbolFlags.Class) return 'class'
  if (flags & ts.SymbolFlags.Interface) return 'interface'
  if (flags & ts.SymbolFlags.TypeAlias) return 'type'
  if (flags & ts.SymbolFlags.Variable) {
    // forwardRef / memo components are constants whose name starts with a capital and whose
    // type is callable or an exotic component.
    if (
      /^[A-Z][a-z]/.test(symbol.name) &&
      decl &&
      /forwardRef|memo|ExoticComponent/.test(decl.getText())
    )
      return 'component'
    return 'const'
  }
  return 'export'
}

/**
 * Every export of every entry: `{ entry, name, kind, isType, summary, defaults, members }`.
 * @param {ts.Program} [program]
 */
export function listExports(program = createProgram()) {
  const checker = program.getTypeChecker()
  const out = []
  for (const entry of ENTRIES) {
    const source = program.getSourceFile(join(root, entry.file))
    if (!source) throw new Error(`${entry.file} is not in the program`)
    const moduleSymbol = checker.getSymbolAtLocation(source)
    if (!moduleSymbol) throw new Error(`${entry.file} has no exports`)
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
      const kind = kindOf(symbol, checker)
      const isType = !(target.flags & ts.SymbolFlags.Value)
      const summary = text(target.getDocumentationComment(checker))
      const members = []
      if (kind === 'interface' || kind === 'type') {
        const type = checker.getDeclaredTypeOfSymbol(target)
        // Unions of objects (props types) have no single property list: document the interface ones.
        const props = type.isUnion() ? [] : checker.getPropertiesOfType(type)
        // Only members declared in this package: not the HTML attributes a props type inherits.
        const own = props.filter((prop) =>
          prop.declarations?.some((d) => d.getSourceFile().fileName.startsWith(join(root, 'src'))),
        )
        for (const prop of own) {
          const doc = text(prop.getDocumentationComment(checker))
          const def = prop
            .getJsDocTags(checker)
            .find((t) => t.name === 'defaultValue' || t.name === 'default')
          const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0
          members.push({
            name: prop.name,
            doc,
            optional,
            defaultValue: def ? ts.displayPartsToString(def.text).trim() : undefined,
          })
        }
      }
      out.push({ entry: entry.id, name: symbol.name, kind, isType, summary, members })
    }
  }
  return out
}

/** The markdown of the API reference, below the page's title. */
export function renderReference(exports = listExports()) {
  const core = new Set(exports.filter((e) => e.entry === 'tickwire/core').map((e) => e.name))
  const lines = [
    '<!-- Generated by `node scripts/api-reference.mjs` from the TSDoc of each export; edit the TSDoc, not this file. -->',
    '',
    'Every export of every entry. Defaults are the values used when an option is left out.',
    '',
  ]
  for (const entry of ENTRIES) {
    const own = exports.filter(
      (e) => e.entry === entry.id && !(entry.id === 'tickwire' && core.has(e.name)),
    )
    lines.push(`## \`${entry.id}\``, '')
    if (entry.id === 'tickwire') {
      lines.push(
        'The React layer and the components; it also re-exports every export of `tickwire/core` (listed below), and the `ConnectionStatus` type of the core as `StreamStatus`.',
        '',
      )
    }
    for (const e of own) {
      lines.push(`- **\`${e.name}\`** (${e.kind})${e.summary ? `: ${e.summary}` : ''}`)
      for (const m of e.members) {
        const def =
          m.defaultValue !== undefined ? ` Default: \`${m.defaultValue.replace(/`/g, '')}\`.` : ''
        lines.push(
          `  - \`${m.name}${m.optional ? '?' : ''}\`${m.doc ? `: ${m.doc.replace(/@defaultValue.*$/, '').trim()}` : ''}${def}`,
        )
      }
    }
    lines.push('')
  }
  return lines.join('\n')
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const target = join(root, 'docs', 'API.md')
  const current = existsSync(target) ? readFileSync(target, 'utf8') : ''
  const updated = `# API reference\n\n${renderReference()}`
  if (process.argv.includes('--check')) {
    if (updated !== current) {
      console.error('docs/API.md is out of date: run `npm run docs:api`')
      process.exit(1)
    }
  } else {
    writeFileSync(target, updated)
    console.log(`wrote the API reference to ${target}`)
  }
}
