import type { PepperpyPlugin, PluginClass } from './plugin.js'

/** True for a class extending PepperpyPlugin (checked by shape, so it works across package copies). */
export function isPluginClass(value: unknown): value is PluginClass {
  if (typeof value !== 'function' || typeof value.prototype !== 'object' || value.prototype === null) return false
  const proto = value.prototype as object
  return 'pluginId' in proto && 'initialize' in proto && 'cleanup' in proto
}

/** True when `value` is a PepperpyPlugin instance (also across duplicate package copies). */
export function isPlugin(value: unknown): value is PepperpyPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { pluginId?: unknown }).pluginId === 'string' &&
    typeof (value as { initialize?: unknown }).initialize === 'function'
  )
}
