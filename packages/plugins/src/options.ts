import type { Logger, StateStore } from '@pepperpy/plugin'

/** Options of {@link createPluginSystem}. */
export interface PluginSystemOptions {
  /** Extra plugin roots, searched after the default ones (like `registerPluginPath`). */
  paths?: string[]
  /** Search `~/.pepperpy/plugins`, `./plugins` and `PEPPERPY_PLUGIN_PATH`. @default true */
  defaultPaths?: boolean
  /** Folder for the default FileStateStore. @default env PEPPERPY_STATE_DIR or ~/.pepperpy/state */
  stateDir?: string
  /** Where persistent plugins keep state. @default a FileStateStore in `stateDir` */
  stateStore?: StateStore
  /** Per-plugin `initialize()` timeout. @default 30000 */
  initTimeoutMs?: number
  /** Per-plugin `cleanup()` limit of the system's manager (see `PluginManagerOptions`). @default 30000 */
  cleanupTimeoutMs?: number
  /** Logger for the system and (as children) every plugin. @default warn and above to stderr */
  logger?: Logger
  /** Environment read for config and roots. @default process.env */
  env?: Record<string, string | undefined>
  /** Working directory for `./plugins` and package discovery. @default process.cwd() */
  cwd?: string
  /** A config key the plugin does not declare is a `ConfigError` instead of a warning. @default false */
  strictConfig?: boolean
}
