/** Lifecycle events the manager emits. */
export type ManagerEventName = 'created' | 'initialized' | 'failed' | 'cleaned'

/** Payload of a lifecycle event. */
export interface ManagerEvent {
  pluginId: string
  /** How long the step took, in milliseconds. */
  durationMs?: number
  /** The error, for `failed` (and `cleaned` when cleanup failed). */
  error?: Error
}

/** A lifecycle event listener. */
export type ManagerListener = (event: ManagerEvent) => void

/** A tiny typed emitter; listener errors are isolated (logged by the caller). */
export class ManagerEvents {
  readonly #listeners = new Map<ManagerEventName, Set<ManagerListener>>()

  /** Subscribes; returns a function that unsubscribes. */
  on(name: ManagerEventName, fn: ManagerListener): () => void {
    let set = this.#listeners.get(name)
    if (!set) this.#listeners.set(name, (set = new Set()))
    set.add(fn)
    return () => set.delete(fn)
  }

  /** True when `name` has a listener (the manager skips timing work nobody reads). */
  has(name: ManagerEventName): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0
  }

  /** Calls every listener of `name`; returns the errors listeners threw. */
  emit(name: ManagerEventName, event: ManagerEvent): unknown[] {
    const errors: unknown[] = []
    for (const fn of this.#listeners.get(name) ?? []) {
      try {
        fn(event)
      } catch (error) {
        errors.push(error)
      }
    }
    return errors
  }
}
