import { isSecretKey, type PepperpyPlugin } from '@pepperpy/plugin'
import { configSources } from '@pepperpy/plugin/spi'

const CONFIG_SOURCES = new Set(['call', 'alias', 'env', 'manifest', 'schema'])
const snake = (f: string): string => f.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

/** A field value that survives JSON as itself. */
function isJsonData(value: unknown): boolean {
  if (value === null) return true
  const t = typeof value
  if (t === 'string' || t === 'boolean') return true
  if (t === 'number') return Number.isFinite(value as number)
  if (Array.isArray(value)) return true
  if (t === 'object') {
    const proto = Object.getPrototypeOf(value)
    return proto === Object.prototype || proto === null
  }
  return false
}

/**
 * The default state fields of `plugin`: its own data fields that are not
 * config keys given by call, alias, environment, manifest or schema, not secret-looking, not
 * functions, and JSON data. Class-field defaults such as `counter = 0` are state.
 */
export function defaultStateFields(plugin: PepperpyPlugin): string[] {
  const sources = configSources(plugin)
  const configured = new Set<string>()
  for (const [key, source] of Object.entries(sources)) if (CONFIG_SOURCES.has(source)) configured.add(key)
  return Object.keys(plugin).filter((field) => {
    if (configured.has(field) || configured.has(snake(field)) || isSecretKey(field)) return false
    const value = (plugin as unknown as Record<string, unknown>)[field]
    return typeof value !== 'function' && isJsonData(value)
  })
}

/** A JSON copy of `fields` of `plugin` (secret-looking keys never included). */
export function snapshot(plugin: PepperpyPlugin, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) if (!isSecretKey(f)) out[f] = (plugin as unknown as Record<string, unknown>)[f]
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>
}
