import { existsSync, statSync } from 'node:fs'
import { basename, dirname, relative, resolve } from 'node:path'
import { type Diagnostic, readManifestFile } from '@pepperpy/plugins'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, type CliIO } from '../output.js'
import { checkConfigSchema, loadProblem } from './validate-checks.js'

interface Target {
  root: string
  /** When the user named one plugin (folder or manifest), only that manifest counts. */
  only?: string
}

const MANIFEST_NAMES = ['plugin.yaml', 'plugin.yml']

/**
 * The root to scan for one manifest: its own folder when it declares type and provider (a root that is
 * one plugin), otherwise the folder two levels up (`<root>/<type>/<provider>/plugin.yaml`).
 */
function targetOfManifest(file: string): Target {
  const dir = dirname(file)
  const manifest = readManifestFile(file).parsed?.manifest as { type?: unknown; provider?: unknown; plugin_type?: unknown } | undefined
  const declared = manifest && (manifest.type ?? manifest.plugin_type) !== undefined && manifest.provider !== undefined
  return { root: declared ? dir : dirname(dirname(dir)), only: file }
}

function targetOf(cwd: string, input: string): Target | string {
  const abs = resolve(cwd, input)
  if (!existsSync(abs)) return `${input}: no such file or folder`
  if (statSync(abs).isFile()) return targetOfManifest(abs)
  const manifest = MANIFEST_NAMES.map((name) => resolve(abs, name)).find((m) => existsSync(m))
  return manifest ? targetOfManifest(manifest) : { root: abs }
}

/** One line per problem: `file: severity: field: message`. */
export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  const file = d.file ? relative(cwd, d.file) || basename(d.file) : '(no file)'
  return `${file}: ${d.severity}: ${d.field ? `${d.field}: ` : ''}${d.message}`
}

/**
 * `pepperpy validate [path...] [--load]`: checks manifests (and with `--load` imports each entry point);
 * exit code 1 when any plugin cannot be created.
 */
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
  if (options.targets.length > 0 && targets.length === 0) return status
  const explicit = targets.length > 0
  const system = systemFor(io, explicit ? { paths: [...new Set(targets.map((t) => t.root))], noDefaultPaths: true } : options)
  try {
    const report = await system.discoverPlugins()
    const only = new Set(targets.flatMap((t) => (t.only ? [t.only] : [])))
    const roots = targets.filter((t) => !t.only).map((t) => t.root)
    const relevant = (file: string | undefined): boolean =>
      !explicit || (file !== undefined && (only.has(file) || roots.some((r) => file === r || file.startsWith(`${r}/`))))
    const problems = new Problems()
    for (const d of report.diagnostics) if (relevant(d.file)) problems.add(promoted(d))
    const plugins = report.plugins.filter((p) => relevant(p.manifestPath))
    for (const p of plugins) {
      const schemaProblem = problems.hasError(p.manifestPath) ? undefined : checkConfigSchema(p)
      if (schemaProblem) problems.add(schemaProblem)
    }
    if (options.load) {
      for (const p of plugins) {
        if (problems.hasError(p.manifestPath)) continue // already cannot load: reported once
        const d = await loadProblem(p, () => system.registry.resolve(p.type, p.provider))
        if (d) problems.add(d)
      }
    }
    for (const d of problems.list)
      io.out(d.severity === 'error' ? s.red(formatDiagnostic(d, io.cwd)) : s.yellow(formatDiagnostic(d, io.cwd)))
    const failed = plugins.filter((p) => problems.hasError(p.manifestPath)).length
    const refused = new Set(
      problems.list.filter((d) => d.severity === 'error' && !plugins.some((p) => p.manifestPath === d.file)).map((d) => d.file),
    )
    const errors = problems.list.filter((d) => d.severity === 'error').length
    if (errors > 0) status = 1
    io.err(
      `${plugins.length - failed} plugin(s) valid, ${failed + refused.size} failed; ${errors} error(s), ${problems.list.length - errors} warning(s)` +
        (options.load ? '' : ' (entry points not imported; add --load to import them)'),
    )
    return status
  } finally {
    await system.dispose()
  }
}

/** Problems in order, each (file, field, message) once. */
class Problems {
  readonly list: Diagnostic[] = []
  readonly #seen = new Set<string>()
  add(d: Diagnostic): void {
    const key = JSON.stringify([d.file, d.field, d.message])
    if (this.#seen.has(key)) return
    this.#seen.add(key)
    this.list.push(d)
  }
  hasError(file: string | undefined): boolean {
    return this.list.some((d) => d.severity === 'error' && d.file === file)
  }
}

/** A missing entry module is only a warning to discovery (it may be built later); to validate it means the plugin cannot load. */
function promoted(d: Diagnostic): Diagnostic {
  return d.field === 'entry_point' && d.severity === 'warning' ? { ...d, severity: 'error' } : d
}
