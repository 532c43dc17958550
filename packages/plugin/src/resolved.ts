import type { PluginContext } from './context.js'
import type { PluginInit } from './init.js'
import { instantiatePlugin } from './instantiate.js'
import type { Logger } from './logger.js'
import type { ResolvedPlugin } from './ports/resolver.js'

/**
 * Builds the instance a resolver resolved, with the system's `logger` and `context`.
 * @param resolved - what `PluginResolver.resolve` returned
 * @param logger - parent of the plugin's logger
 * @param context - services injected into the plugin
 * @param Class - the class to build, when not `resolved.PluginClass` (a hot reload's new code)
 * @returns the new instance, config bound
 */
export function instantiateResolved<T extends object>(
  resolved: ResolvedPlugin,
  logger: Logger,
  context: PluginContext,
  Class: new (config?: Record<string, unknown>) => T = resolved.PluginClass as never,
): T {
  return instantiatePlugin(Class, initOf(resolved, logger, context))
}

/** The {@link PluginInit} of a resolved plugin. */
export function initOf(resolved: ResolvedPlugin, logger: Logger, context: PluginContext): PluginInit {
  const init: PluginInit = {
    type: resolved.type,
    provider: resolved.provider,
    config: resolved.config,
    sources: resolved.sources,
    logger,
    context,
  }
  if (resolved.finalizeConfig) init.finalizeConfig = resolved.finalizeConfig
  return init
}
