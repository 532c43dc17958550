import { isolationReport, isSecretKey, redactSecrets } from '@pepperpy/plugins'
import { isolationLines } from './isolation-lines.js'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, type CliIO } from '../output.js'

/** `pepperpy info <type>/<provider> [--json]`: what one plugin declares. */
export async function infoCommand(io: CliIO, options: GlobalOptions & { json: boolean; id: string | undefined }): Promise<number> {
  const s = styles(io)
  const [type, provider] = (options.id ?? '').split('/')
  if (!type || !provider) {
    io.err(s.red('usage: pepperpy info <type>/<provider>'))
    return 2
  }
  const system = systemFor(io, options)
  const report = await system.discoverPlugins()
  const info = report.plugins.find((p) => p.type === type && p.provider === provider)
  if (!info) {
    const same = report.plugins.filter((p) => p.type === type).map((p) => `${p.type}/${p.provider}`)
    io.err(
      s.red(`plugin "${type}/${provider}" not found.`) +
        (same.length ? ` Known ${type} providers: ${same.join(', ')}` : ' Run `pepperpy list` to see what is installed.'),
    )
    return 1
  }
  if (options.json) {
    // a manifest may carry secrets (default_config, schema defaults): they are redacted like everywhere else
    io.out(JSON.stringify(redactSecrets({ ...info, isolation: isolationReport(info) }), null, 2))
    return 0
  }
  const m = info.manifest ?? { entry_point: '' }
  io.out(s.bold(`${info.type}/${info.provider}`) + (info.version ? ` ${info.version}` : ''))
  const field = (label: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') io.out(`  ${label.padEnd(14)}${String(value)}`)
  }
  field('name', info.name)
  field('description', info.description)
  field('source', info.source)
  field('manifest', info.manifestPath)
  field('entry point', m.entry_point)
  field('author', m.author)
  field('license', m.license)
  field('hot reload', m.hot_reload)
  for (const line of isolationLines(isolationReport(info))) io.out(`  ${line}`)
  const deps = Array.isArray(m.dependencies) ? m.dependencies : []
  if (deps.length) {
    io.out('  dependencies')
    for (const d of deps)
      io.out(
        `    - ${typeof d === 'string' ? d : `${d.type}${d.provider ? `/${d.provider}` : ''} (${d.dependency_type ?? 'required'})${d.version ? ` ${d.version}` : ''}`}`,
      )
  }
  const props = (
    m.config_schema as { properties?: Record<string, { type?: unknown; default?: unknown; description?: string }> } | undefined
  )?.properties
  if (props && Object.keys(props).length) {
    io.out('  config')
    for (const [key, p] of Object.entries(props)) {
      const def = p.default === undefined ? '' : ` = ${isSecretKey(key) ? '[redacted]' : JSON.stringify(redactSecrets(p.default))}`
      io.out(`    ${key}: ${String(p.type ?? 'any')}${def}${p.description ? s.dim(`  ${p.description}`) : ''}`)
    }
  }
  return 0
}
