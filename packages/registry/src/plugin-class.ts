import type { PluginClass } from '@pepperpy/plugin'

/** True for a class whose prototype chain has PepperpyPlugin's members (works across package copies). */
export function isPluginClass(value: unknown): value is PluginClass {
  if (typeof value !== 'function' || typeof value.prototype !== 'object' || value.prototype === null) return false
  const proto = value.prototype as object
  return 'pluginId' in proto && 'initialize' in proto && 'cleanup' in proto
}
