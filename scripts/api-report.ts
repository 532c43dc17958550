/**
 * `pnpm api:update` writes etc/<package>.api.md, the public API of every published package: for each
 * entry point of its package.json `exports` (`.`, `./spi`, ...), every exported name with its
 * declaration as the declaration emitter prints it (comments dropped, `@deprecated` kept).
 * `pnpm api:check` (in .ci/run) fails when the code's API differs from the checked-in report, so an
 * accidental export, removal or signature change is seen in review.
 *
 * Why not api-extractor: it reports one entry point per package (no `./spi` subpath in the same
 * report) and needs the built .d.ts; this reads the sources through the TypeScript compiler the repo
 * already pins, so it runs before or after `pnpm build` and covers every subpath.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')

interface Entry {
  pkg: string
  subpath: string
  file: string
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson }))
  .filter((p) => !p.json.private)

const entries: Entry[] = packages.flatMap(({ dir, json }) =>
  Object.entries(json.exports ?? {})
    .filter(([subpath, target]) => subpath !== './package.json' && typeof target === 'object' && target['@pepperpy/source'])
    .map(([subpath, target]) => ({ pkg: json.name, subpath, file: join(dir, (target as Record<string, string>)['@pepperpy/source']!) })),
)

const base = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.base.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
)
const options: ts.CompilerOptions = {
  ...base?.options,
  noEmit: false,
  declaration: true,
  emitDeclarationOnly: true,
  outDir: join(root, '.api-out'),
}
const program = ts.createProgram(
  entries.map((e) => e.file),
  options,
)
const checker = program.getTypeChecker()
const dts = new Map<string, ts.SourceFile>()
program.emit(
  undefined,
  (name, text, _bom, _onError, sources) => {
    const source = sources?.[0]
    if (source) dts.set(source.fileName, ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true))
  },
  undefined,
  true,
)

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })
const packageOf = (file: string): string | undefined => packages.find((p) => file.startsWith(`${p.dir}/`))?.json.name

function declarationText(symbol: ts.Symbol, exportName: string, owner: string): string {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  const decl = target.declarations?.[0]
  if (!decl) return `export { ${exportName} }`
  const from = decl.getSourceFile().fileName
  const home = packageOf(from)
  if (home !== owner)
    return `export { ${target.name === exportName ? exportName : `${target.name} as ${exportName}`} } from '${home ?? relative(root, from)}'`
  const out = dts.get(from)
  const name = target.name
  const statements = out?.statements.filter((s) => declares(s, name)) ?? []
  if (statements.length === 0) return `export { ${exportName} } // declared in ${relative(root, from)}`
  const deprecated = ts.getJSDocTags(decl).some((t) => t.tagName.text === 'deprecated')
  const text = statements.map((s) => printer.printNode(ts.EmitHint.Unspecified, s, out!)).join('\n')
  return `${deprecated ? '/** @deprecated */\n' : ''}${name === exportName ? '' : `// exported as ${exportName}\n`}${text}`
}

function declares(s: ts.Statement, name: string): boolean {
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)
  const n = (s as { name?: ts.Node }).name
  return n !== undefined && ts.isIdentifier(n) && n.text === name
}

const reports = new Map<string, string[]>()
for (const entry of entries) {
  const source = program.getSourceFile(entry.file)
  const moduleSymbol = source && checker.getSymbolAtLocation(source)
  if (!moduleSymbol) throw new Error(`cannot read the exports of ${relative(root, entry.file)}`)
  const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const body = exports.map((s) => declarationText(s, s.name, entry.pkg)).join('\n\n')
  const lines = reports.get(entry.pkg) ?? []
  lines.push(
    `## \`${entry.pkg}${entry.subpath === '.' ? '' : entry.subpath.slice(1)}\`\n\n${exports.length} exports\n\n\`\`\`ts\n${body}\n\`\`\`\n`,
  )
  reports.set(entry.pkg, lines)
}

let stale = 0
mkdirSync(join(root, 'etc'), { recursive: true })
for (const [pkg, sections] of reports) {
  const file = join(root, 'etc', `${pkg.replace(/^@/, '').replace('/', '-')}.api.md`)
  const text = `# API report of ${pkg}\n\n<!-- generated by \`pnpm api:update\`; \`pnpm api:check\` compares it in CI -->\n\n${sections.join('\n')}`
  const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined
  if (old === text) continue
  if (!check) {
    writeFileSync(file, text)
    console.log(`wrote ${relative(root, file)}`)
    continue
  }
  stale++
  console.error(`${relative(root, file)} is out of date:${firstDifference(old ?? '', text)}`)
}
if (stale > 0) {
  console.error(`\n${stale} API report(s) differ from the code. If the change is intended, run \`pnpm api:update\` and commit etc/.`)
  process.exit(1)
}
if (check) console.log(`API reports match the code (${reports.size} packages, ${entries.length} entry points)`)

function firstDifference(a: string, b: string): string {
  const x = a.split('\n')
  const y = b.split('\n')
  const removed = x.filter((l) => !y.includes(l)).slice(0, 10)
  const added = y.filter((l) => !x.includes(l)).slice(0, 10)
  return `${removed.map((l) => `\n  - ${l}`).join('')}${added.map((l) => `\n  + ${l}`).join('')}`
}

interface PackageJson {
  name: string
  private?: boolean
  exports?: Record<string, string | Record<string, string>>
}
