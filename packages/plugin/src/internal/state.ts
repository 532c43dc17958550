import type { ConfigSource } from '../config-source.js'
import type { PluginContext } from '../context.js'
import { PepperpyError } from '../errors.js'
import type { PluginInit } from '../init.js'
import type { InitializeOptions, LifecycleHooks } from '../lifecycle.js'
import type { Logger } from '../logger.js'

/** The lifecycle states of one plugin instance. */
export type LifecyclePhase = 'idle' | 'initializing' | 'initialized' | 'cleaning'

/** One queued or running lifecycle step; calls of the same kind in a row share it. */
export interface LifecycleStep {
  kind: 'initialize' | 'cleanup'
  promise: Promise<void>
}

/** Per-instance state of a plugin, kept under a private symbol. */
export interface Internal {
  type: string
  provider: string
  /** The config as given, until it is bound and frozen. */
  rawConfig: Record<string, unknown>
  /** Frozen on first read or at binding. */
  config: Readonly<Record<string, unknown>> | undefined
  sources: Readonly<Record<string, ConfigSource>>
  /** Built on first use (most plugins in a hot path never log). */
  logger: Logger | undefined
  parentLogger: Logger
  context: PluginContext
  initialized: boolean
  bound: boolean
  finalize: PluginInit['finalizeConfig']
  /** Created by the first `addLifecycleHook` (most instances never get one). */
  hooks: LifecycleHooks | undefined
  phase: LifecyclePhase
  /** The last lifecycle step queued (running or waiting); undefined when none is. */
  last: LifecycleStep | undefined
  /** A timed-out `initialize()` still running; cleaned up if it finishes (unless a newer call waits for it). */
  abandoned: Promise<void> | undefined
  /** A timed-out `cleanup()` still running; a later `initialize()` waits for it. */
  abandonedCleanup: Promise<void> | undefined
  /** The options of the running `initialize()`; `signal` combines the caller's and the runner's. */
  initOptions: InitializeOptions | undefined
  /** Aborts the running `initialize()` (made when its signal is first read, or on abort). */
  abort: AbortController | undefined
  /** The signal the caller of the running `initialize()` passed, if any. */
  caller: AbortSignal | undefined
  /** Gives up waiting for the running `initialize()` (it is abandoned) and rejects its callers with `reason`. */
  cancelRun: ((reason: unknown) => void) | undefined
}

/** The private slot holding {@link Internal}. */
export const INTERNAL: unique symbol = Symbol('pepperpy.plugin')

/** Key under which `instantiatePlugin` passes a {@link PluginInit} to the base constructor, inside the config argument. */
export const INIT: unique symbol = Symbol('pepperpy.init')

/** The state of `plugin`, if it has one. */
export function maybeInternal(plugin: object): Internal | undefined {
  return (plugin as { [INTERNAL]?: Internal })[INTERNAL]
}

/** The state of `plugin`. */
export function internal(plugin: object): Internal {
  const state = maybeInternal(plugin)
  if (!state) throw new PepperpyError('not a PepperpyPlugin instance (did its constructor call super()?)')
  return state
}
