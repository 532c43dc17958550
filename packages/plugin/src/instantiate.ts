import type { ConfigSource } from './config-source.js'
import type { PluginContext } from './context.js'
import { PepperpyError } from './errors.js'
import type { PluginInit } from './init.js'
import { bindConfig } from './internal/bind-config.js'
import { INIT, type Internal, internal, type LifecyclePhase, maybeInternal } from './internal/state.js'

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
