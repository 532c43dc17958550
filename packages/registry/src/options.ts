import type { DependencySpec, Logger, PluginInfo, PluginManifest } from '@pepperpy/plugin'

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

// what `register()` may say about a class besides the class itself: one type, from the contract
export type { PluginMetadata } from '@pepperpy/plugin'

/** A discovered plugin's code location and manifest, found without loading it (see `PluginRegistry.locate`). */
export interface LocatedPlugin {
  type: string
  /** The real provider (aliases followed). */
  provider: string
  /** The plugin folder. */
  dir: string
  /** The entry module. */
  entryFile: string
  exportName?: string
  /** The manifest as written (unknown fields such as `isolation` kept). */
  manifest: PluginManifest
  info: PluginInfo
  dependencies: DependencySpec[]
}
