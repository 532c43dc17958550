/**
 * `node:diagnostics_channel` tracing channels the packages publish to (DESIGN 6.3). The module is
 * loaded on first use through `process.getBuiltinModule`, so importing the contract costs nothing
 * more and runtimes without it publish nothing. A publisher checks its {@link ChannelTracer}'s
 * `active` first and builds its context object only when someone listens.
 */
import type { Diagnostic } from './types.js'

/** The tracing channel names, by operation. */
export const channels = {
  discover: 'pepperpy:discover',
  load: 'pepperpy:load',
  create: 'pepperpy:create',
  initialize: 'pepperpy:initialize',
  cleanup: 'pepperpy:cleanup',
  reload: 'pepperpy:reload',
  stateLoad: 'pepperpy:state:load',
  stateSave: 'pepperpy:state:save',
  call: 'pepperpy:call',
} as const

/** One of the {@link channels} names. */
export type ChannelName = (typeof channels)[keyof typeof channels]

/** What every channel's context object carries; `error` (or `result`) is set by the channel when the operation ends. */
export interface PluginChannelContext {
  /** `type/provider` of the plugin the operation is about. */
  pluginId: string
  type?: string
  provider?: string
  /** The file involved (manifest, entry point, state file), where there is one. */
  file?: string
  /** Set when the operation failed. */
  error?: unknown
  /** Set when a promise-based operation succeeded. */
  result?: unknown
}

/**
 * `pepperpy:discover`, once per manifest read during discovery (synchronous: `start`, `end`,
 * `error`; no async events). Starts with `file`; `pluginId`, `type` and `provider` are filled in
 * once the manifest is parsed (`pluginId` stays `''` when it could not be).
 */
export interface DiscoverChannelContext extends PluginChannelContext {
  file: string
  /** Problems found in this manifest. */
  diagnostics?: Diagnostic[]
}

/** `pepperpy:load`: importing a plugin's entry point (`file`). */
export interface LoadChannelContext extends PluginChannelContext {
  type: string
  provider: string
  file: string
}

/** `pepperpy:create`, `pepperpy:initialize`, `pepperpy:cleanup`: one instance's lifecycle step. */
export interface LifecycleChannelContext extends PluginChannelContext {
  type: string
  provider: string
}

/** `pepperpy:reload`: a hot reload of one plugin's code (`file` changed) and the swap of its live instances. */
export interface ReloadChannelContext extends PluginChannelContext {
  type: string
  provider: string
  file: string
}

/** `pepperpy:state:load`, `pepperpy:state:save`: a persistent plugin's state under `key` in the state store. */
export interface StateChannelContext extends PluginChannelContext {
  type: string
  provider: string
  /** The state store key. */
  key: string
}

/** `pepperpy:call`: a call into an isolated plugin. */
export interface CallChannelContext extends PluginChannelContext {
  /** The method called. */
  method: string
}

/** The part of Node's `TracingChannel` used here (kept here so the contract's types need no `@types/node`). */
interface NodeTracingChannel {
  readonly hasSubscribers: boolean
  tracePromise<T>(fn: () => Promise<T>, context: object): Promise<T>
  traceSync<T>(fn: () => T, context: object): T
}

/** Publishes one channel's operations; get one with {@link channelTracer}. */
export interface ChannelTracer {
  readonly name: ChannelName
  /** True when something subscribed: publishers build no context and add no work otherwise. */
  readonly active: boolean
  /**
   * Runs `fn` as one traced operation (`start`, `end`, then `asyncStart` and `asyncEnd`, with
   * `error` on failure); `fn` runs in the channel's async context, so operations it starts are
   * seen as its children. Just runs `fn` when nobody listens.
   * @param context the operation's context object (see the `*ChannelContext` types)
   * @returns what `fn` returns
   */
  tracePromise<T, C extends PluginChannelContext = PluginChannelContext>(context: C, fn: () => Promise<T>): Promise<T>
  /**
   * Runs the synchronous `fn` as one traced operation (`start`, `end`, `error` on failure).
   * @param context the operation's context object
   * @returns what `fn` returns
   */
  traceSync<T, C extends PluginChannelContext = PluginChannelContext>(context: C, fn: () => T): T
}

class Tracer implements ChannelTracer {
  readonly name: ChannelName
  /** undefined: not looked up yet; null: no diagnostics_channel in this runtime. */
  #channel: NodeTracingChannel | null | undefined

  constructor(name: ChannelName) {
    this.name = name
  }

  get active(): boolean {
    const channel = this.#channel === undefined ? this.#open() : this.#channel
    return channel?.hasSubscribers === true
  }

  tracePromise<T, C extends PluginChannelContext>(context: C, fn: () => Promise<T>): Promise<T> {
    return this.active ? this.#channel!.tracePromise(fn, context) : fn()
  }

  traceSync<T, C extends PluginChannelContext>(context: C, fn: () => T): T {
    return this.active ? this.#channel!.traceSync(fn, context) : fn()
  }

  #open(): NodeTracingChannel | null {
    const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    const dc = host?.getBuiltinModule?.('node:diagnostics_channel') as { tracingChannel?: (name: string) => NodeTracingChannel } | undefined
    this.#channel = dc?.tracingChannel?.(this.name) ?? null
    return this.#channel
  }
}

const tracers = new Map<ChannelName, Tracer>()

/**
 * The publisher of channel `name` (one per name). Keep it in a module-level constant: checking
 * `active` then costs a property read, and `node:diagnostics_channel` is loaded on the first check.
 * @param name one of {@link channels}
 * @returns the channel's tracer
 * @example
 * const initializing = channelTracer(channels.initialize)
 * const run = initializing.active ? initializing.tracePromise({ pluginId }, work) : work()
 */
export function channelTracer(name: ChannelName): ChannelTracer {
  let tracer = tracers.get(name)
  if (!tracer) tracers.set(name, (tracer = new Tracer(name)))
  return tracer
}
