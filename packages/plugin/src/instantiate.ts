import { PepperpyError } from './errors.js'
import { bindConfig } from './internal/bind-config.js'
import { internal, maybeInternal, setPendingInit } from './internal/state.js'
import type { PepperpyPlugin, PluginInit } from './plugin.js'
import type { ConfigSource } from './ports/resolver.js'

/**
 * Constructs `Class` once and binds config to its declared fields after construction, so a
 * subclass's `param = 42` never beats a passed value.
 */
export function instantiatePlugin<T extends PepperpyPlugin>(Class: new (config?: Record<string, unknown>) => T, init: PluginInit): T {
  setPendingInit(init)
  let plugin: T
  try {
    plugin = new Class(init.config)
  } finally {
    setPendingInit(undefined)
  }
  const s = maybeInternal(plugin)
  if (!s)
    throw new PepperpyError(`plugin class "${Class.name}" for "${init.type}/${init.provider}" does not extend PepperpyPlugin`, {
      pluginId: `${init.type}/${init.provider}`,
    })
  bindConfig(plugin, s)
  return plugin
}

/** Where each key of `plugin.config` came from. */
export function configSources(plugin: PepperpyPlugin): Readonly<Record<string, ConfigSource>> {
  return internal(plugin).sources
}
