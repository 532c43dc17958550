import type { PluginClass } from '@pepperpy/plugin'
import { isPluginClass } from '@pepperpy/plugin/spi'

/**
 * The plugin class of a freshly loaded module: the named export (default export when no name),
 * else the default export, else the module's only plugin-class export. Undefined when none fits.
 */
export function pickExport(ns: Record<string, unknown>, exportName: string | undefined): PluginClass | undefined {
  const named = ns[exportName ?? 'default']
  if (isPluginClass(named)) return named
  if (isPluginClass(ns['default'])) return ns['default']
  const classes = [...new Set(Object.values(ns).filter(isPluginClass))]
  return classes.length === 1 ? classes[0] : undefined
}

/** Names of the plugin-class exports of `ns`, for error messages. */
export function pluginExports(ns: Record<string, unknown>): string[] {
  return Object.keys(ns).filter((k) => isPluginClass(ns[k]))
}
