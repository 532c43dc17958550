import type { BootFailurePolicy, Logger, PepperpyPlugin, PluginMetadata } from '@pepperpy/plugin'
import type { PluginContext, PluginResolver, ResolvedPlugin } from '@pepperpy/plugin/spi'

/** Options of {@link PluginManager}. */
export interface PluginManagerOptions {
  /** Where classes and config come from (the registry, through the contract's port). */
  resolver: PluginResolver
  /** @default the contract's default logger */
  logger?: Logger
  /** Per-plugin `initialize()` limit; its AbortSignal is aborted when it expires. @default 30000 */
  initTimeoutMs?: number
  /**
   * Per-plugin `cleanup()` limit: past it, `cleanup()` reports a `PluginTimeoutError` for that
   * plugin and goes on with the others (its dependencies included). @default 30000
   */
  cleanupTimeoutMs?: number
  /** Most `initialize()` calls running at once. @default Infinity */
  concurrency?: number
  /** Shared services (resources, state store) merged into each instance's context. */
  context?: PluginContext
  /**
   * What a plugin whose `initialize()` fails does to `initialize()` (the boot): `abort` rolls the
   * boot back and rejects; `continue` marks it failed, skips what requires it and resolves (see
   * `health()`). A plugin's own `boot_failure` (manifest) or `bootFailure` (metadata) wins. @default 'abort'
   */
  bootFailure?: BootFailurePolicy
  /** When a plugin still initializing is logged as a warning, in ms after its start; `[]` never. @default [5000, 10000, 20000, 40000] */
  slowInitWarnMs?: readonly number[]
  /** Lets a host wrap each new instance (e.g. in a hot-reload handle); the manager keeps what it returns. */
  decorate?: (instance: PepperpyPlugin, resolved: ResolvedPlugin) => PepperpyPlugin
}

/**
 * What `registerPluginMetadata` reads: a plugin's dependencies and boot-failure policy.
 * @deprecated use `PluginMetadata` from `@pepperpy/plugin` (one type for every registration)
 */
export type PluginMetadataInput = Pick<PluginMetadata, 'dependencies' | 'bootFailure'>
