import { internal } from './internal/state.js'
import type { LifecycleHook, LifecycleHookName } from './lifecycle.js'

/** Adds a lifecycle hook to one plugin instance; returns a function that removes it. */
export function addLifecycleHook(plugin: object, name: LifecycleHookName, hook: LifecycleHook): () => void {
  const hooks = (internal(plugin).hooks ??= {})
  const list = (hooks[name] ??= [])
  list.push(hook)
  return () => {
    const i = list.indexOf(hook)
    if (i >= 0) list.splice(i, 1)
  }
}
