import type { InitializeOptions, LifecycleHookName } from '../lifecycle.js'
import type { PepperpyPlugin } from '../plugin.js'
import { bindConfig } from './bind-config.js'
import { internal } from './state.js'

function implOf(plugin: PepperpyPlugin, name: 'initialize' | 'cleanup'): (this: PepperpyPlugin, o?: InitializeOptions) => Promise<void> {
  return Object.getPrototypeOf(plugin)[name]
}

async function runHooks(plugin: PepperpyPlugin, name: LifecycleHookName, errors?: unknown[]): Promise<void> {
  for (const hook of [...internal(plugin).hooks[name]]) {
    if (!errors) await hook(plugin)
    else {
      try {
        await hook(plugin)
      } catch (error) {
        errors.push(error)
      }
    }
  }
}

/** The `initialize` every instance gets: idempotent, single-flight, runs hooks, manages the flag. */
export async function runInitialize(this: PepperpyPlugin, options?: InitializeOptions): Promise<void> {
  const s = internal(this)
  if (s.initialized) return
  if (s.initializing) return s.initializing
  const work = (async () => {
    if (!s.bound) bindConfig(this, s)
    s.initOptions = options
    try {
      await runHooks(this, 'beforeInitialize')
      await implOf(this, 'initialize').call(this, options)
      s.initialized = true
      await runHooks(this, 'afterInitialize')
    } catch (error) {
      s.initialized = false
      await runHooks(this, 'afterCleanup', [])
      throw error
    } finally {
      s.initOptions = undefined
    }
  })()
  s.initializing = work
  try {
    await work
  } finally {
    s.initializing = undefined
  }
}

/** The `cleanup` every instance gets: attempts every hook, reports all failures, idempotent. */
export async function runCleanup(this: PepperpyPlugin): Promise<void> {
  const s = internal(this)
  if (s.cleaning) return s.cleaning
  // wait for a running initialize(), unless it was abandoned (its signal aborted by a timeout): a hung
  // initialize() must not hang cleanup too; what it acquired is released by the afterCleanup hooks below
  if (s.initializing && !s.initOptions?.signal?.aborted) await s.initializing.catch(() => {})
  const work = (async () => {
    const errors: unknown[] = []
    if (s.initialized) {
      await runHooks(this, 'beforeCleanup', errors)
      try {
        await implOf(this, 'cleanup').call(this)
      } catch (error) {
        errors.push(error)
      }
    }
    s.initialized = false
    await runHooks(this, 'afterCleanup', errors)
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, `cleanup of plugin "${this.pluginId}" failed ${errors.length} times`)
  })()
  s.cleaning = work
  try {
    await work
  } finally {
    s.cleaning = undefined
  }
}
