import type { InitializeOptions, LifecycleHook, LifecycleHookName } from '../lifecycle.js'
import type { PepperpyPlugin } from '../plugin.js'
import { bindConfig } from './bind-config.js'
import { internal, type Internal } from './state.js'

const DONE: Promise<void> = Promise.resolve()

function implOf(plugin: PepperpyPlugin, name: 'initialize' | 'cleanup'): (this: PepperpyPlugin, o?: InitializeOptions) => Promise<void> {
  return Object.getPrototypeOf(plugin)[name]
}

/** The hooks to run for `name` (a copy: a hook may remove itself), or undefined when there are none. */
function hooksOf(s: Internal, name: LifecycleHookName): LifecycleHook[] | undefined {
  const list = s.hooks?.[name]
  return list && list.length > 0 ? [...list] : undefined
}

/** Runs `hooks` in order, awaiting only those that return a promise; with `errors`, collects failures and goes on. */
async function runHooks(plugin: PepperpyPlugin, hooks: LifecycleHook[], errors?: unknown[]): Promise<void> {
  for (const hook of hooks) {
    if (!errors) {
      const result = hook(plugin)
      if (result) await result
      continue
    }
    try {
      const result = hook(plugin)
      if (result) await result
    } catch (error) {
      errors.push(error)
    }
  }
}

async function initializeOnce(plugin: PepperpyPlugin, s: Internal, options: InitializeOptions | undefined): Promise<void> {
  try {
    if (!s.bound) bindConfig(plugin, s)
    s.initOptions = options
    const before = hooksOf(s, 'beforeInitialize')
    if (before) await runHooks(plugin, before)
    await implOf(plugin, 'initialize').call(plugin, options)
    s.initialized = true
    const after = hooksOf(s, 'afterInitialize')
    if (after) await runHooks(plugin, after)
  } catch (error) {
    s.initialized = false
    const undo = hooksOf(s, 'afterCleanup')
    if (undo) await runHooks(plugin, undo, [])
    throw error
  } finally {
    s.initOptions = undefined
    s.initializing = undefined
    s.initSettled = true
  }
}

/** The `initialize` every instance gets: idempotent, single-flight, runs hooks, manages the flag. */
export function runInitialize(this: PepperpyPlugin, options?: InitializeOptions): Promise<void> {
  const s = internal(this)
  if (s.initialized) return DONE
  if (s.initializing) return s.initializing
  s.initSettled = false
  const work = initializeOnce(this, s, options)
  // unless it already settled synchronously (a config error before its first await)
  if (!s.initSettled) s.initializing = work
  return work
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
      const before = hooksOf(s, 'beforeCleanup')
      if (before) await runHooks(this, before, errors)
      try {
        await implOf(this, 'cleanup').call(this)
      } catch (error) {
        errors.push(error)
      }
    }
    s.initialized = false
    const after = hooksOf(s, 'afterCleanup')
    if (after) await runHooks(this, after, errors)
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
