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
