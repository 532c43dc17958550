import type { PepperpyPlugin, PluginClass } from '../plugin.js'
import type { ResolvedConfig } from '../config-source.js'
import type { BootFailurePolicy, DependencySpec, PluginInfo } from '../types.js'

export type { ConfigSource, ResolvedConfig } from '../config-source.js'

/** A plugin ready to instantiate: its class (loaded) and its merged, validated config. */
export interface ResolvedPlugin<T extends PepperpyPlugin = PepperpyPlugin> extends ResolvedConfig {
  type: string
  /** The provider actually used (after aliases and fallbacks). */
  provider: string
  /** The provider that was asked for. */
  requestedProvider: string
  PluginClass: PluginClass<T>
  /**
   * Called once after construction with the instance's own field names and their class defaults;
   * returns the final config with environment values for declared class fields.
   */
  finalizeConfig?: (fields: readonly string[], defaults: Readonly<Record<string, unknown>>) => ResolvedConfig
  /** Dependencies from the manifest, `static dependencies` and registered metadata. */
  dependencies: DependencySpec[]
  info: PluginInfo
  /** True when the manifest says `hot_reload: true` or the class is hot-reloadable. */
  hotReload: boolean
  /** Absolute path of the loaded entry module, when it came from a file. */
  entryFile?: string
  /** The plugin's own `boot_failure` (manifest) or `bootFailure` (metadata); the system's option otherwise. */
  bootFailure?: BootFailurePolicy
}

/** What the manager needs from a registry (implemented by @pepperpy/registry). */
export interface PluginResolver {
  /** Loads (once) and returns the class and merged config for `type/provider`, following aliases and fallbacks. */
  resolve(type: string, provider: string, config?: Record<string, unknown>): Promise<ResolvedPlugin>
  /**
   * `resolve` without waiting, when nothing has to be loaded (a registered class, or one already
   * imported): the result, or undefined when only `resolve` can answer. Optional; the manager
   * uses it to create instances without a round trip through the microtask queue.
   * @throws like `resolve` (ConfigError...), synchronously
   */
  resolveNow?(type: string, provider: string, config?: Record<string, unknown>): ResolvedPlugin | undefined
  /** True when `type/provider` is registered, discovered, or an alias. */
  has(type: string, provider: string): boolean
  /** True when `version` satisfies the semver `range`; absent when the resolver cannot check ranges. */
  satisfies?(version: string, range: string): boolean
}
