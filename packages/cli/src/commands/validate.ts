import { existsSync, statSync } from 'node:fs'
import { basename, dirname, relative, resolve } from 'node:path'
import type { Diagnostic } from '@pepperpy/plugins'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, type CliIO } from '../output.js'

interface Target {
  root: string
  /** When the user named one plugin (folder or manifest), only its manifest's problems count. */
  only?: string
}

function targetOf(cwd: string, input: string): Target | string {
  const abs = resolve(cwd, input)
  if (!existsSync(abs)) return `${input}: no such file or folder`
  if (statSync(abs).isFile()) return { root: dirname(dirname(dirname(abs))), only: abs }
  for (const name of ['plugin.yaml', 'plugin.yml']) {
    const manifest = resolve(abs, name)
    if (existsSync(manifest)) return { root: dirname(dirname(abs)), only: manifest }
  }
  return { root: abs }
}

/** One line per problem: `file: field: message`. */
export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  const file = d.file ? relative(cwd, d.file) || basename(d.file) : '(no file)'
  return `${file}: ${d.severity}: ${d.field ? `${d.field}: ` : ''}${d.message}`
}

/** `pepperpy validate [path...]`: checks manifests; exit code 1 when any is bad. */
export async function validateCommand(io: CliIO, options: GlobalOptions & { targets: string[]; load: boolean }): Promise<number> {
  const s = styles(io)
  const targets: Target[] = []
  let status = 0
  for (const input of options.targets) {
    const t = targetOf(io.cwd, input)
    if (typeof t === 'string') {
      io.out(s.red(t))
      status = 1
    } else targets.push(t)
  }
  const explicit = options.targets.length > 0
  const system = systemFor(io, explicit ? { paths: targets.map((t) => t.root), noDefaultPaths: true } : options)
  const report = await system.discoverPlugins()
  const only = new Set(targets.flatMap((t) => (t.only ? [t.only] : [])))
  const onlyRoots = new Set(targets.filter((t) => !t.only).map((t) => t.root))
  const relevant = (file: string | undefined): boolean =>
    !explicit || (file !== undefined && (only.has(file) || [...onlyRoots].some((r) => file.startsWith(r))))
  const problems = report.diagnostics.filter((d) => relevant(d.file))
  const plugins = report.plugins.filter((p) => relevant(p.manifestPath))
  if (options.load) {
    for (const p of plugins) {
      try {
        await system.registry.resolve(p.type, p.provider)
      } catch (error) {
        problems.push({ file: p.manifestPath, field: 'entry_point', severity: 'error', message: (error as Error).message } as Diagnostic)
      }
    }
  }
  for (const d of problems) io.out(d.severity === 'error' ? s.red(formatDiagnostic(d, io.cwd)) : s.yellow(formatDiagnostic(d, io.cwd)))
  const errors = problems.filter((d) => d.severity === 'error').length
  if (errors > 0) status = 1
  io.err(`${plugins.length} plugin(s) valid, ${errors} error(s), ${problems.length - errors} warning(s)`)
  await system.dispose()
  return status
}
