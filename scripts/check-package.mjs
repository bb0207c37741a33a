// `npm run check:package`: packs the package as npm would publish it, then checks the
// tarball with publint (package.json and exports) and are-the-types-wrong (types resolve
// for ESM and CJS consumers under node16 and bundler resolution).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'tickwire-pack-'))
try {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    encoding: 'utf8',
  })
  const [{ filename, size, unpackedSize, files }] = JSON.parse(out)
  const tarball = join(dir, filename)
  console.log(
    `[package] ${filename}: ${files.length} files, ${size} B packed, ${unpackedSize} B unpacked`,
  )
  const run = (bin, args) =>
    execFileSync(process.execPath, [`node_modules/.bin/${bin}`, ...args], { stdio: 'inherit' })
  run('publint', ['run', tarball, '--strict'])
  // typesVersions lets TypeScript's old node10 resolution see the subpaths' types too.
  // styles.css is a stylesheet for bundlers, not a module with types.
  run('attw', [tarball, '--format', 'table-flipped', '--exclude-entrypoints', './styles.css'])
} finally {
  rmSync(dir, { recursive: true, force: true })
}
