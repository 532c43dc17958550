import type { ConfigSource } from './config-source.js'
import type { PluginContext } from './context.js'
import { PepperpyError } from './errors.js'
import type { PluginInit } from './init.js'
import { bindConfig } from './internal/bind-config.js'
import { INIT, type Internal, internal, type LifecyclePhase, maybeInternal } from './internal/state.js'
import type { Logger } from './logger.js'
import type { ResolvedPlugin } from './ports/resolver.js'

/**
 * Constructs `Class` once and binds config to its declared fields after construction, so a
 * subclass's `param = 42` never beats a passed value. The one way every
 * system, manager and reloader builds an instance.
 * @param Class - a class extending PepperpyPlugin
 * @param init - identity, merged config, logger and context of the instance
 * @returns the new instance, config bound
 * @throws PepperpyError when `Class` does not extend PepperpyPlugin; whatever its constructor throws
 */
export function instantiatePlugin<T extends object>(Class: new (config?: Record<string, unknown>) => T, init: PluginInit): T {
  const arg: Record<string, unknown> = { ...init.config }
  Object.defineProperty(arg, INIT, { value: init, enumerable: false })
  const plugin = new Class(arg)
  const s = maybeInternal(plugin)
  if (!s)
    throw new PepperpyError(`plugin class "${Class.name}" for "${init.type}/${init.provider}" does not extend PepperpyPlugin`, {
      pluginId: `${init.type}/${init.provider}`,
    })
  adopt(s, init) // a subclass constructor that did not pass its argument to super() still gets its identity
  bindConfig(plugin, s)
  return plugin
}

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

/** Where each key of `plugin.config` came from. */
export function configSources(plugin: object): Readonly<Record<string, ConfigSource>> {
  return internal(plugin).sources
}

/** The services injected into `plugin` (mutable: a system may add to it). */
export function pluginContext(plugin: object): PluginContext {
  return internal(plugin).context
}

/** Where `plugin` is in its lifecycle: `idle`, `initializing`, `initialized` or `cleaning`. */
export function lifecycleState(plugin: object): LifecyclePhase {
  const s = internal(plugin)
  return s.phase === 'idle' && s.initialized ? 'initialized' : s.phase
}

function adopt(s: Internal, init: PluginInit): void {
  s.type = init.type
  s.provider = init.provider
  if (init.config !== undefined) s.rawConfig = init.config
  if (init.sources !== undefined) s.sources = init.sources
  if (init.logger !== undefined) s.parentLogger = init.logger
  if (init.context !== undefined) s.context = init.context
  s.finalize = init.finalizeConfig
  s.logger = undefined
}
