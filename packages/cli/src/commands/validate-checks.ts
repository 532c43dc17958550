import { createRequire } from 'node:module'
import { describeError, type ConfigIssue, type Diagnostic, PepperpyError, type PluginInfo } from '@pepperpy/plugins'

type AjvClass = new (o: Record<string, unknown>) => { compile(schema: unknown): unknown }
let Ajv: AjvClass | undefined

/**
 * The plugin's `config_schema` compiled the way the registry compiles it (ajv, `strict: false`);
 * an error diagnostic when it is not a valid JSON Schema (the plugin could never be created).
 */
export function checkConfigSchema(p: PluginInfo): Diagnostic | undefined {
  const schema = p.manifest?.config_schema
  if (schema === undefined) return undefined
  Ajv ??= (createRequire(import.meta.url)('ajv') as { Ajv: AjvClass }).Ajv
  try {
    new Ajv({ allErrors: true, strict: false }).compile(schema)
    return undefined
  } catch (error) {
    return {
      ...(p.manifestPath ? { file: p.manifestPath } : {}),
      field: 'config_schema',
      severity: 'error',
      message: `is not a valid JSON Schema: ${describeError(error)}; fix config_schema in the manifest`,
    }
  }
}

/** What `--load` found wrong with one plugin, labelled with the field at fault; undefined when it loads. */
export async function loadProblem(p: PluginInfo, load: () => Promise<unknown>): Promise<Diagnostic | undefined> {
  const file = p.manifestPath ? { file: p.manifestPath } : {}
  try {
    await load()
    return undefined
  } catch (error) {
    if (!PepperpyError.is(error)) return { ...file, severity: 'error', message: describeError(error) }
    const e = error as PepperpyError & { tried?: Array<{ reason: string }>; issues?: ConfigIssue[]; field?: string }
    if (e.code === 'PLUGIN_NOT_FOUND') {
      const reason = e.tried?.find((t) => t.reason.startsWith('entry point failed: '))?.reason
      if (reason)
        return {
          ...file,
          field: 'entry_point',
          severity: 'error',
          message: `${reason.slice('entry point failed: '.length)}; fix entry_point in the manifest or the module it names`,
        }
    }
    if (e.code === 'CONFIG_INVALID' && e.issues) return configProblem(file, e.issues)
    return { ...file, ...(e.field ? { field: e.field } : {}), severity: 'error', message: e.message }
  }
}

/** A missing value is the app's or environment's to give (a warning); a bad schema or bad default is the plugin's (an error). */
function configProblem(file: { file?: string }, issues: ConfigIssue[]): Diagnostic {
  const schema = issues.find((i) => i.key === '(config_schema)')
  if (schema) return { ...file, field: 'config_schema', severity: 'error', message: schema.message }
  const missing = (i: ConfigIssue): boolean => /^is required|must have required property/.test(i.message)
  const bad = issues.find((i) => !missing(i))
  if (bad) return { ...file, field: fieldOf(bad), severity: 'error', message: `${bad.message}; fix the manifest` }
  return {
    ...file,
    field: 'config_schema',
    severity: 'warning',
    message: `loads, but needs config to be created: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`,
  }
}

/** The manifest field a config value came from. */
function fieldOf(issue: ConfigIssue): string {
  if (issue.message.endsWith('(from manifest)')) return `default_config.${issue.key}`
  if (issue.message.endsWith('(from schema)')) return `config_schema.properties.${issue.key}.default`
  return `config_schema.properties.${issue.key}`
}
