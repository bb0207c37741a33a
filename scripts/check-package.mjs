// `npm run check:package`: packs the package as npm would publish it, then checks the
// tarball with publint (package.json and exports) and are-the-types-wrong (types resolve
// for ESM and CJS consumers under node16 and bundler resolution). Two checks of our own run
// first: the pack builds `dist/` itself (a release from a clean clone is not empty), and every
// package an entry imports is a dependency or a required peer (optional peers would let an app
// that follows the metadata fail to build).
import { execFileSync } from 'node:child_process'
import { builtinModules } from 'node:module'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const ENTRIES = ['dist/index.js', 'dist/core/index.js', 'dist/devtools/index.js']

function fail(message) {
  console.error(`[package] ${message}`)
  process.exit(1)
}

/** The packages a built file imports at load time: ESM `import ... from` lines and `require`. */
function importedPackages(file) {
  const text = readFileSync(file, 'utf8')
  const specifiers = [
    ...text.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm),
    ...text.matchAll(/^import\s*"([^"]+)"/gm),
    ...text.matchAll(/\brequire\("([^"]+)"\)/g),
  ].map((m) => m[1])
  const roots = specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]))
  return [...new Set(roots)].filter((name) => name !== pkg.name)
}

function checkImportsAreDeclared() {
  const optional = new Set(
    Object.entries(pkg.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional === true)
      .map(([name]) => name),
  )
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((name) => !optional.has(name)),
  ])
  for (const file of [...ENTRIES, ...ENTRIES.map((f) => f.replace(/\.js$/, '.cjs'))]) {
    const missing = importedPackages(file).filter((name) => !declared.has(name))
    if (missing.length > 0) {
      fail(
        `${file} imports ${missing.join(', ')}, which package.json declares neither as a ` +
          'dependency nor as a required peer',
      )
    }
  }
  console.log('[package] every package the entries import is a dependency or a required peer')
}

const dir = mkdtempSync(join(tmpdir(), 'tickwire-pack-'))
try {
  // As on a clean clone: no dist/ before the pack. `prepack` must build it.
  rmSync('dist', { recursive: true, force: true })
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  // prepack's build log comes first on stdout; npm's JSON report starts on a line of its own.
  const report = out.slice(out.search(/^\[\s*$/m))
  const [{ filename, size, unpackedSize, files }] = JSON.parse(report)
  const paths = new Set(files.map((f) => f.path))
  const absent = [...ENTRIES, 'dist/index.d.ts', 'dist/styles.css'].filter((f) => !paths.has(f))
  if (absent.length > 0) fail(`the tarball lacks ${absent.join(', ')}: does prepack build?`)
  console.log(
    `[package] ${filename}: ${files.length} files, ${size} B packed, ${unpackedSize} B unpacked`,
  )
  checkImportsAreDeclared()
  // The shipped worker runs the engine; were it to hold the code that starts workers, a
  // bundler following its `new URL(…, import.meta.url)` would look for a source file.
  if (/new (Shared)?Worker\(/.test(readFileSync('dist/core/engine-worker.js', 'utf8'))) {
    fail('dist/core/engine-worker.js starts workers itself: it bundles the engine client')
  }
  const tarball = join(dir, filename)
  const run = (bin, args) =>
    execFileSync(process.execPath, [`node_modules/.bin/${bin}`, ...args], { stdio: 'inherit' })
  run('publint', ['run', tarball, '--strict'])
  // typesVersions lets TypeScript's old node10 resolution see the subpaths' types too.
  // styles.css is a stylesheet for bundlers, not a module with types.
  run('attw', [tarball, '--format', 'table-flipped', '--exclude-entrypoints', './styles.css'])
} finally {
  rmSync(dir, { recursive: true, force: true })
}
