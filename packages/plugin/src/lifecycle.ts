/** Points in a plugin's life where extensions can hook in. */
export type LifecycleHookName = 'beforeInitialize' | 'afterInitialize' | 'beforeCleanup' | 'afterCleanup'

/** A lifecycle hook; receives the plugin. */
export type LifecycleHook = (plugin: object) => void | Promise<void>

/** Options passed to `initialize()` by the manager. */
export interface InitializeOptions {
  /** Aborted when initialization times out or is abandoned. */
  signal?: AbortSignal
}

/** Per-instance hook lists (internal storage shape); a list exists once a hook was added to it. */
export type LifecycleHooks = Partial<Record<LifecycleHookName, LifecycleHook[]>>
