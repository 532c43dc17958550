import { channels, channelTracer, type LifecycleChannelContext } from '../channels.js'
import type { InitializeOptions, LifecycleHook, LifecycleHookName } from '../lifecycle.js'
import type { PepperpyPlugin } from '../plugin.js'
import { bindConfig } from './bind-config.js'
import { internal, type Internal } from './state.js'

const DONE: Promise<void> = Promise.resolve()
const initializing = channelTracer(channels.initialize)
const cleaning = channelTracer(channels.cleanup)

function implOf(plugin: PepperpyPlugin, name: 'initialize' | 'cleanup'): (this: PepperpyPlugin, o?: InitializeOptions) => Promise<void> {
  return Object.getPrototypeOf(plugin)[name]
}

/** The hooks to run for `name` (a copy: a hook may remove itself), or undefined when there are none. */
function hooksOf(s: Internal, name: LifecycleHookName): LifecycleHook[] | undefined {
  const list = s.hooks?.[name]
  return list && list.length > 0 ? [...list] : undefined
}

/**
 * Runs `hooks` in order; returns a promise only when one of them does (the rest run after it), so
 * synchronous hooks cost no suspension. With `errors`, failures are collected and the rest still run.
 */
function runHooks(plugin: PepperpyPlugin, hooks: readonly LifecycleHook[], errors?: unknown[]): Promise<void> | undefined {
  for (let i = 0; i < hooks.length; i++) {
    let result: void | Promise<void>
    try {
      result = hooks[i]!(plugin)
    } catch (error) {
      if (!errors) throw error
      errors.push(error)
      continue
    }
    if (result) return finishHooks(plugin, hooks, i, result, errors)
  }
  return undefined
}

async function finishHooks(
  plugin: PepperpyPlugin,
  hooks: readonly LifecycleHook[],
  at: number,
  pending: Promise<void>,
  errors?: unknown[],
): Promise<void> {
  try {
    await pending
  } catch (error) {
    if (!errors) throw error
    errors.push(error)
  }
  const rest = runHooks(plugin, hooks.slice(at + 1), errors)
  if (rest) await rest
}

async function initializeOnce(plugin: PepperpyPlugin, s: Internal, options: InitializeOptions | undefined, run: number): Promise<void> {
  try {
    if (!s.bound) bindConfig(plugin, s)
    s.initOptions = options
    const before = hooksOf(s, 'beforeInitialize')
    const running = before && runHooks(plugin, before)
    if (running) await running
    await implOf(plugin, 'initialize').call(plugin, options)
    s.initialized = true
    const after = hooksOf(s, 'afterInitialize')
    const finishing = after && runHooks(plugin, after)
    if (finishing) await finishing
  } catch (error) {
    s.initialized = false
    const undo = hooksOf(s, 'afterCleanup')
    const undoing = undo && runHooks(plugin, undo, [])
    if (undoing) await undoing
    throw error
  } finally {
    s.initOptions = undefined
    s.initializing = undefined
    s.settledRun = run
  }
}

/** The `initialize` every instance gets: idempotent, single-flight, runs hooks, manages the flag. */
export function runInitialize(this: PepperpyPlugin, options?: InitializeOptions): Promise<void> {
  const s = internal(this)
  if (s.initialized) return DONE
  if (s.initializing) return s.initializing
  const run = ++s.initRun
  const work = initializing.active
    ? initializing.tracePromise(lifecycleContext(this, s), () => initializeOnce(this, s, options, run))
    : initializeOnce(this, s, options, run)
  // unless this very call already settled synchronously (a config error before its first await)
  if (s.settledRun !== run) s.initializing = work
  return work
}

/** The `cleanup` every instance gets: attempts every hook, reports all failures, idempotent. */
export async function runCleanup(this: PepperpyPlugin): Promise<void> {
  const s = internal(this)
  if (s.cleaning) return s.cleaning
  // traced only when there is something to clean up
  return (s.initialized || s.initializing) && cleaning.active
    ? cleaning.tracePromise(lifecycleContext(this, s), () => cleanupOnce(this, s))
    : cleanupOnce(this, s)
}

async function cleanupOnce(plugin: PepperpyPlugin, s: Internal): Promise<void> {
  // wait for a running initialize(), unless it was abandoned (its signal aborted by a timeout): a hung
  // initialize() must not hang cleanup too; what it acquired is released by the afterCleanup hooks below
  if (s.initializing && !s.initOptions?.signal?.aborted) await s.initializing.catch(() => {})
  const work = (async () => {
    const errors: unknown[] = []
    if (s.initialized) {
      const before = hooksOf(s, 'beforeCleanup')
      const running = before && runHooks(plugin, before, errors)
      if (running) await running
      try {
        await implOf(plugin, 'cleanup').call(plugin)
      } catch (error) {
        errors.push(error)
      }
    }
    s.initialized = false
    const after = hooksOf(s, 'afterCleanup')
    const finishing = after && runHooks(plugin, after, errors)
    if (finishing) await finishing
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, `cleanup of plugin "${plugin.pluginId}" failed ${errors.length} times`)
  })()
  s.cleaning = work
  try {
    await work
  } finally {
    s.cleaning = undefined
  }
}

function lifecycleContext(plugin: PepperpyPlugin, s: Internal): LifecycleChannelContext {
  return { pluginId: plugin.pluginId, type: s.type, provider: s.provider }
}
