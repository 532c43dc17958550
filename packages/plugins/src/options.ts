import type { BootFailurePolicy, LeaseProvider, Logger, StateStore } from '@pepperpy/plugin'

/** Options of {@link createPluginSystem}. */
export interface PluginSystemOptions {
  /** Extra plugin roots, searched after the default ones (like `registerPluginPath`). */
  paths?: string[]
  /** Search `~/.pepperpy/plugins`, `./plugins` and `PEPPERPY_PLUGIN_PATH`. @default true */
  defaultPaths?: boolean
  /** Folder for the default FileStateStore. @default env PEPPERPY_STATE_DIR or `~/.pepperpy/state/<app>` (see docs/persistence.md) */
  stateDir?: string
  /** Where persistent plugins keep state. @default a FileStateStore in `stateDir` */
  stateStore?: StateStore
  /** Per-plugin `initialize()` timeout. @default 30000 */
  initTimeoutMs?: number
  /** Per-plugin `cleanup()` limit of the system's manager (see `PluginManagerOptions`). @default 30000 */
  cleanupTimeoutMs?: number
  /**
   * What a plugin whose `initialize()` fails does to `manager.initialize()`: `abort` (roll back,
   * reject) or `continue` (mark it failed, skip what requires it, resolve; see `manager.health()`).
   * A plugin's `boot_failure` (manifest) or `bootFailure` (metadata) wins. @default 'abort'
   */
  bootFailure?: BootFailurePolicy
  /** When a plugin still initializing is logged as a warning, in ms after its start; `[]` never. @default [5000, 10000, 20000, 40000] */
  slowInitWarnMs?: readonly number[]
  /** Logger for the system and (as children) every plugin. @default warn and above to stderr */
  logger?: Logger
  /** Environment read for config and roots. @default process.env */
  env?: Record<string, string | undefined>
  /** Working directory for `./plugins` and package discovery. @default process.cwd() */
  cwd?: string
  /** Grants leases to `leader: true` plugins (one process of the fleet at a time), e.g. `new RedisLeaseProvider()` from @pepperpy/redis. */
  lease?: LeaseProvider
  /** A config key the plugin does not declare is a `ConfigError` instead of a warning. @default false */
  strictConfig?: boolean
}
