import { camelCase, ConfigError, type ConfigIssue, type ResolvedConfig } from '@pepperpy/plugin'
import { didYouMean } from '@pepperpy/plugin/spi'
import { snakeCase } from '../internal/names.js'
import type { ConfigPlan } from './config-plan.js'

/** What to do with config keys the plugin does not declare. */
export interface UnknownKeyPolicy {
  /** Throw a `ConfigError` instead of warning. */
  strict: boolean
  warn(message: string): void
}

/**
 * Keys given by the call or an alias that the plugin declares nowhere (schema, defaults, required
 * keys, class fields): a warning with a "did you mean", or a `ConfigError` when strict.
 * @throws ConfigError when `policy.strict` and a key is unknown
 */
export function checkUnknownKeys(plan: ConfigPlan, resolved: ResolvedConfig, fields: readonly string[], policy: UnknownKeyPolicy): void {
  let known: Set<string> | undefined
  const issues: ConfigIssue[] = []
  for (const key of Object.keys(resolved.sources)) {
    const source = resolved.sources[key]
    if (source !== 'call' && source !== 'alias') continue
    known ??= new Set([...plan.declared, ...fields, ...fields.map(snakeCase)])
    if (known.has(key) || known.has(camelCase(key)) || known.has(snakeCase(key))) continue
    const guess = didYouMean(key, [...plan.declared, ...fields])
    issues.push({ key, message: `is not a config key of this plugin${guess ? `; did you mean "${guess}"?` : ''} (it is ignored)` })
  }
  if (issues.length === 0) return
  if (policy.strict)
    throw new ConfigError(
      plan.pluginId,
      issues.map((i) => ({ ...i, message: i.message.replace(' (it is ignored)', '') })),
    )
  for (const i of issues) policy.warn(`config of plugin "${plan.pluginId}": ${i.key} ${i.message}`)
}
