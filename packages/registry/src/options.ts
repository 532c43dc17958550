import type { BootFailurePolicy, DependencySpec, JsonSchema, Logger } from '@pepperpy/plugin'

/** Options of {@link PluginRegistry}. */
export interface PluginRegistryOptions {
  /** Extra roots, searched after the default ones, in order (like `registerPath`). */
  paths?: string[]
  /** Search `~/.pepperpy/plugins`, `./plugins`, `PEPPERPY_PLUGIN_PATH` and the app's plugin packages. @default true */
  defaultPaths?: boolean
  /** Roots of plugins shipped with the host, searched first (lowest precedence). @default [] */
  builtinPaths?: string[]
  /** For `./plugins` and package discovery. @default process.cwd() */
  cwd?: string
  /** For `~/.pepperpy/plugins`. @default os.homedir() */
  homeDir?: string
  /** Read for config and `PEPPERPY_PLUGIN_PATH`. @default process.env */
  env?: Record<string, string | undefined>
  /** Version checked against manifests' `pepperpy` ranges. @default the version of @pepperpy/plugin */
  hostVersion?: string
  /** Modules given to plugin code as they are (see createModuleLoader). */
  sharedModules?: Record<string, unknown>
  /**
   * Folder of the on-disk caches (parsed manifests, transformed TypeScript), or `false` for none.
   * Only an optimisation: results are the same without it.
   * @default `PEPPERPY_CACHE_DIR`, else `node_modules/.cache/pepperpy` of the project, else the user cache folder; none when `PEPPERPY_CACHE=0`
   */
  cacheDir?: string | false
  /** @default the contract's default logger */
  logger?: Logger
  /** A config key the plugin does not declare (schema, defaults, required keys or class fields) is a `ConfigError` instead of a warning. @default false */
  strictConfig?: boolean
}

/** What `register()` may say about a class besides the class itself. */
export interface PluginMetadata {
  name?: string
  version?: string
  description?: string
  dependencies?: DependencySpec[]
  /** JSON Schema of the config (overrides `static configSchema`). */
  configSchema?: JsonSchema
  /** Config used when neither call, alias nor environment gives one. */
  defaultConfig?: Record<string, unknown>
  requiredConfigKeys?: string[]
  /** Swap live instances when the class's module changes. */
  hotReload?: boolean
  /** When its `initialize()` fails during a boot: `abort` the boot or `continue` without it (overrides the system's option). */
  bootFailure?: BootFailurePolicy
}
