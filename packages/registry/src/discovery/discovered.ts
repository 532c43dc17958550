import type { PluginInfo, PluginManifest } from '@pepperpy/plugin'

/** A plugin found on disk or in a package, not loaded yet. */
export interface DiscoveredPlugin {
  info: PluginInfo
  /** The manifest with null fields removed. */
  manifest: PluginManifest
  /** The plugin folder (entry points resolve against it). */
  dir: string
  /** The entry module, when it exists. */
  entryFile?: string
  exportName?: string
  /** Why the entry module cannot load, when it cannot (reported again at load time). */
  entryProblem?: string
}
