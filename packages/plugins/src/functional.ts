import type { HotReloadHandle, HotReloadOptions } from '@pepperpy/extensions'
import type { PluginManager } from '@pepperpy/manager'
import type { DiscoveryReport, PluginClass, PluginInfo, PluginMetadata } from '@pepperpy/plugin'
import { getPluginSystem } from './default-system.js'
import type { CreateProviderInstance } from './typed-lookups.js'

/**
 * Creates a new instance of `type/provider` from the default system, by `(type, provider, config?)` or
 * `('type/provider', config?)`; typed through `PluginProviders`, then `PluginTypes`.
 * @throws PluginNotFoundError when neither the provider nor a fallback is available
 * @throws ConfigError when the config does not satisfy the plugin's schema
 * @example
 * const llm = await createProviderInstance('llm', 'openai', { model: 'gpt-4o' })
 * const same = await createProviderInstance('llm/openai', { model: 'gpt-4o' })
 */
export const createProviderInstance: CreateProviderInstance = ((...args: [string, string, Record<string, unknown>?]) =>
  getPluginSystem().createProviderInstance(...args)) as CreateProviderInstance

/** Registers a plugin class as `type/provider` in the default system; it beats discovered ones. */
export function registerPlugin(type: string, provider: string, PluginClass: PluginClass, metadata?: PluginMetadata): void {
  getPluginSystem().registerPlugin(type, provider, PluginClass, metadata)
}

/** Registers `alias` for `type/provider` with preset config (the call's config wins over it). */
export function registerPluginAlias(type: string, alias: string, provider: string, config?: Record<string, unknown>): void {
  getPluginSystem().registerPluginAlias(type, alias, provider, config)
}

/** Sets the ordered providers tried when a requested provider of `type` is unavailable. */
export function registerPluginFallbacks(type: string, providers: string[]): void {
  getPluginSystem().registerPluginFallbacks(type, providers)
}

/** Adds a plugin root to the default system; visible at once. */
export function registerPluginPath(path: string): void {
  getPluginSystem().registerPluginPath(path)
}

/** Scans every plugin root of the default system: the plugins found and a diagnostic per problem. */
export function discoverPlugins(): Promise<DiscoveryReport> {
  return getPluginSystem().discoverPlugins()
}

/** Every plugin the default system knows (registered and discovered), without loading code. */
export function listPlugins(): PluginInfo[] {
  return getPluginSystem().listPlugins()
}

/** The default system's plugin manager (Python PepperPy: `get_plugin_manager()`). */
export function getPluginManager(): PluginManager {
  return getPluginSystem().manager
}

/** Watches the default system's hot-reloadable plugins and swaps live instances on change. */
export function startHotReload(options?: Omit<HotReloadOptions, 'host'>): Promise<HotReloadHandle> {
  return getPluginSystem().startHotReload(options)
}
