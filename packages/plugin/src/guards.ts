import type { PluginClass } from './plugin.js'

/** True for a class extending PepperpyPlugin (checked by shape, so it works across package copies). */
export function isPluginClass(value: unknown): value is PluginClass {
  if (typeof value !== 'function' || typeof value.prototype !== 'object' || value.prototype === null) return false
  const proto = value.prototype as object
  return 'pluginId' in proto && 'initialize' in proto && 'cleanup' in proto
}
