import type { ConfigSource, ResolvedConfig } from './config-source.js'
import type { PluginContext } from './context.js'
import type { Logger } from './logger.js'

/** Everything needed to build one plugin instance (see `instantiatePlugin`). */
export interface PluginInit {
  type: string
  provider: string
  /** Merged config; bound to declared fields after construction. */
  config?: Record<string, unknown>
  /** Source of each config key. */
  sources?: Record<string, ConfigSource>
  /** Adds environment values for the instance's own fields; `defaults` holds each field's class default. */
  finalizeConfig?: (fields: readonly string[], defaults: Readonly<Record<string, unknown>>) => ResolvedConfig
  /** Parent logger; the plugin gets a child named after its pluginId. */
  logger?: Logger
  /** Services of the system that creates the plugin. */
  context?: PluginContext
}
