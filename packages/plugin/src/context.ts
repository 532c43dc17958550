import { internal } from './internal/state.js'
import type { PepperpyPlugin } from './plugin.js'
import type { ResourcePoolPort } from './ports/resources.js'
import type { StateStore } from './ports/state.js'

/** Services a plugin system injects into each plugin it creates. */
export interface PluginContext {
  /** Looks up a live dependency (set by the manager). */
  getDependency?: (type: string, provider?: string) => unknown
  /** The system's shared resource pool (used by ResourceMixin). */
  resources?: ResourcePoolPort
  /** The system's state store (used by persistentPlugin). */
  stateStore?: StateStore
}

/** The services injected into `plugin` (mutable: a system may add to it). */
export function pluginContext(plugin: PepperpyPlugin): PluginContext {
  return internal(plugin).context
}
