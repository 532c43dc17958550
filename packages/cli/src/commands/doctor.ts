import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, type CliIO } from '../output.js'
import { formatDiagnostic } from './validate.js'

/** Every distinct copy of `@pepperpy/plugin` under `cwd`'s node_modules (duplicates break `instanceof`). */
export function contractCopies(cwd: string): Array<{ path: string; version: string }> {
  const found = new Map<string, string>()
  const visit = (nodeModules: string, depth: number): void => {
    if (depth > 3 || !existsSync(nodeModules)) return
    const candidate = join(nodeModules, '@pepperpy', 'plugin', 'package.json')
    if (existsSync(candidate)) {
      const real = realpathSync(candidate)
      found.set(real, (JSON.parse(readFileSync(real, 'utf8')) as { version?: string }).version ?? '?')
    }
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue
      if (entry.name === '.pnpm') {
        for (const store of readdirSync(join(nodeModules, '.pnpm'))) {
          if (store.startsWith('@pepperpy+plugin@')) visit(join(nodeModules, '.pnpm', store, 'node_modules'), depth + 1)
        }
      } else if (!entry.name.startsWith('.') && !entry.name.startsWith('@')) {
        visit(join(nodeModules, entry.name, 'node_modules'), depth + 1)
      }
    }
  }
  visit(join(cwd, 'node_modules'), 0)
  return [...found].map(([path, version]) => ({ path, version }))
}

/** `pepperpy doctor`: roots, duplicates, unreadable manifests, version compatibility, duplicate package copies. */
export async function doctorCommand(io: CliIO, options: GlobalOptions): Promise<number> {
  const s = styles(io)
  const ok = (t: string): void => io.out(`${s.green('ok')}    ${t}`)
  const warn = (t: string): void => io.out(`${s.yellow('warn')}  ${t}`)
  const bad = (t: string): void => io.out(`${s.red('error')} ${t}`)
  const system = systemFor(io, options)
  // the library's own root list: what `createProviderInstance` searches from this folder
  const roots = system.registry.roots()
  io.out(s.bold('Plugin roots') + s.dim(' (lowest precedence first)'))
  for (const root of roots) io.out(`  ${existsSync(root) ? s.green('found  ') : s.dim('absent ')} ${root}`)
  const report = await system.discoverPlugins()
  io.out(s.bold('Plugins'))
  if (report.plugins.length > 0) ok(`${report.plugins.length} plugin(s) discovered`)
  else warn(nothingFound(io.cwd, roots))
  let errors = 0
  for (const d of report.diagnostics) {
    if (d.severity === 'error') {
      errors++
      bad(formatDiagnostic(d, io.cwd))
    } else warn(formatDiagnostic(d, io.cwd))
  }
  if (report.diagnostics.length === 0) ok('every manifest is readable, valid and compatible; no duplicates')
  io.out(s.bold('Packages'))
  const copies = contractCopies(io.cwd)
  if (copies.length > 1) {
    errors++
    bad(
      `${copies.length} copies of @pepperpy/plugin: ${copies.map((c) => `${c.version} at ${relative(io.cwd, c.path)}`).join(', ')}; dedupe them (plugins must share one copy)`,
    )
  } else
    ok(copies.length === 1 ? `one copy of @pepperpy/plugin (${copies[0]!.version})` : '@pepperpy/plugin is not installed in this folder')
  await system.dispose()
  return errors > 0 ? 1 : 0
}

/** Why nothing was found: usually the app was started from a subfolder of the folder that has `plugins/`. */
function nothingFound(cwd: string, roots: string[]): string {
  for (let dir = dirname(cwd); dir !== dirname(dir); dir = dirname(dir)) {
    const plugins = join(dir, 'plugins')
    if (existsSync(plugins) && !roots.includes(plugins))
      return `0 plugins found from ${cwd}; ./plugins is relative to the working directory and ${plugins} exists: run from ${dir}, or pass --path ${relative(cwd, plugins)} (in code: registerPluginPath)`
    if (existsSync(join(dir, 'package.json'))) break // the project root: nothing above it belongs to this app
  }
  return `0 plugins found in ${roots.length} root(s); add one with \`pepperpy new <type>/<provider>\` or pass --path <dir>`
}
