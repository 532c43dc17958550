import type { PluginContext } from '../context.js'
import { PepperpyError } from '../errors.js'
import type { InitializeOptions, LifecycleHooks } from '../lifecycle.js'
import type { Logger } from '../logger.js'
import type { PluginInit } from '../plugin.js'
import type { ConfigSource } from '../ports/resolver.js'

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
  initializing: Promise<void> | undefined
  /** Numbers the `initialize()` calls; `settledRun` is the last one that finished (tells a synchronous failure apart). */
  initRun: number
  settledRun: number
  cleaning: Promise<void> | undefined
  /** The options of the running `initialize()` (its signal may be created lazily by a getter). */
  initOptions: InitializeOptions | undefined
}

/** The private slot holding {@link Internal}. */
export const INTERNAL: unique symbol = Symbol('pepperpy.plugin')

let pendingInit: PluginInit | undefined

/** Hands `init` to the next PepperpyPlugin constructor (see instantiatePlugin). */
export function setPendingInit(init: PluginInit | undefined): void {
  pendingInit = init
}

/** Takes what instantiatePlugin left for this constructor (once). */
export function takePendingInit(): PluginInit | undefined {
  const init = pendingInit
  pendingInit = undefined
  return init
}

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
