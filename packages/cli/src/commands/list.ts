import { redactSecrets } from '@pepperpy/plugins'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, table, type CliIO } from '../output.js'

/** `pepperpy list [--json]`: every plugin the roots provide. */
export async function listCommand(io: CliIO, options: GlobalOptions & { json: boolean }): Promise<number> {
  const system = systemFor(io, options)
  const report = await system.discoverPlugins()
  if (options.json) {
    io.out(JSON.stringify(redactSecrets(report.plugins.map(({ manifest: _m, ...info }) => info)), null, 2))
    return 0
  }
  const s = styles(io)
  if (report.plugins.length === 0) io.out('No plugins found. Add one with `pepperpy new <type>/<provider>`.')
  else {
    const rows = [['PLUGIN', 'VERSION', 'SOURCE', 'DESCRIPTION'].map(s.bold)]
    for (const p of report.plugins) rows.push([`${p.type}/${p.provider}`, p.version ?? '-', p.source, p.description ?? ''])
    for (const line of table(rows)) io.out(line)
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length
  const warnings = report.diagnostics.length - errors
  if (report.diagnostics.length > 0) io.err(s.yellow(`${errors} error(s), ${warnings} warning(s): run \`pepperpy validate\` for details`))
  return 0
}
