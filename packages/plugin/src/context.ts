import type { ResourcePoolPort } from './ports/resources.js'
import type { StateStore } from './ports/state.js'

/** Limits and the shutdown signal that bound one plugin's lifecycle. */
export interface LifecyclePolicy {
  /** Limit of each `initialize()`, in milliseconds; absent or Infinity: none. */
  initTimeoutMs?: number
  /** Limit of each `cleanup()`, in milliseconds; absent or Infinity: none. */
  cleanupTimeoutMs?: number
  /** Aborted when the owning system is disposed: no `initialize()` starts after that. */
  closed?: AbortSignal
}

/** Services a plugin system injects into each plugin it creates. */
export interface PluginContext {
  /** Looks up a live dependency (set by the manager). */
  getDependency?: (type: string, provider?: string) => unknown
  /** The system's shared resource pool (used by ResourceMixin). */
  resources?: ResourcePoolPort
  /** The system's state store (used by persistentPlugin). */
  stateStore?: StateStore
  /** Timeouts and the shutdown signal applied by the plugin's own `initialize()`/`cleanup()`. */
  lifecycle?: LifecyclePolicy
}
