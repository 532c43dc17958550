import type { Logger } from '../logger.js'
import type { PepperpyPlugin, PluginClass } from '../plugin.js'
import type { ModuleLoader } from './loader.js'

/** A hot-reloadable plugin whose code lives in files. */
export interface HotReloadTarget {
  type: string
  provider: string
  /** The plugin folder to watch (the manifest's folder, or the class's module folder). */
  dir: string
  /** The entry module to import fresh on a change. */
  entryFile: string
  /** The export holding the class; default export when absent. */
  exportName?: string
}

/** One live instance a reload may swap, as tracked by the plugin system. */
export interface LiveInstance {
  /** The instance currently serving calls. */
  readonly current: PepperpyPlugin
  /** Builds a new instance of `Class` with the same config as `current` (not initialized). */
  recreate(Class: PluginClass): PepperpyPlugin
  /** Routes every later call (through the caller's handle) to `next`; resolves when calls still running on the old instance have finished. */
  swap(next: PepperpyPlugin): Promise<void>
}

/** What the hot reloader needs from the plugin system (the umbrella implements it). */
export interface HotReloadHost {
  loader: ModuleLoader
  logger: Logger
  /** Every hot-reloadable plugin with its files. */
  targets(): HotReloadTarget[]
  /** Registers a freshly loaded class in place of the old one. */
  replaceClass(type: string, provider: string, Class: PluginClass): void
  /** Live instances of `type/provider`. */
  liveInstances(type: string, provider: string): LiveInstance[]
}
