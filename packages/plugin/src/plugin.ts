import type { PluginContext } from './context.js'
import { PepperpyError } from './errors.js'
import { camelCase, isUnsafeKey } from './keys.js'
import { emptyHooks, type InitializeOptions, type LifecycleHook, type LifecycleHookName, type LifecycleHooks } from './lifecycle.js'
import { childLogger, createLogger, redactingLogger, type Logger } from './logger.js'
import type { ConfigSource, ResolvedConfig } from './ports/resolver.js'
import { collectSecretValues, isSecretKey, REDACTED, redactSecrets, scrubSecrets } from './secrets.js'
import type { DependencySpec, JsonSchema } from './types.js'

/** Everything needed to build one plugin instance (see {@link instantiatePlugin}). */
export interface PluginInit {
  type: string
  provider: string
  /** Merged config; bound to declared fields after construction. */
  config?: Record<string, unknown>
  /** Source of each config key. */
  sources?: Record<string, ConfigSource>
  /** Adds environment values for the instance's own fields (DESIGN decision 3); `defaults` holds each field's class default. */
  finalizeConfig?: (fields: readonly string[], defaults: Readonly<Record<string, unknown>>) => ResolvedConfig
  /** Parent logger; the plugin gets a child named after its pluginId. */
  logger?: Logger
  /** Services of the system that creates the plugin. */
  context?: PluginContext
}

/** Statics a plugin class may declare. */
export interface PluginStatics {
  /** Stamped by `register()`; used when the class is constructed directly. */
  pluginType?: string
  /** Stamped by `register()`. */
  provider?: string
  /** Dependencies on other plugins (DESIGN decision 11). */
  dependencies?: readonly DependencySpec[]
  /** JSON Schema of the config, validated with ajv at creation (DESIGN decision 2). */
  configSchema?: JsonSchema
}

/** A plugin class: constructible with an optional config, plus optional statics. */
export type PluginClass<T extends PepperpyPlugin = PepperpyPlugin> = (new (config?: Record<string, unknown>) => T) &
  PluginStatics

interface Internal {
  type: string
  provider: string
  config: Readonly<Record<string, unknown>>
  sources: Readonly<Record<string, ConfigSource>>
  logger: Logger
  parentLogger: Logger
  context: PluginContext
  initialized: boolean
  bound: boolean
  finalize: PluginInit['finalizeConfig']
  hooks: LifecycleHooks
  initializing: Promise<void> | undefined
  cleaning: Promise<void> | undefined
  signal: AbortSignal | undefined
}

const INTERNAL: unique symbol = Symbol('pepperpy.plugin')
const INSPECT = Symbol.for('nodejs.util.inspect.custom')
const NEVER_ABORTED: AbortSignal = new AbortController().signal
let pendingInit: PluginInit | undefined

function internal(plugin: PepperpyPlugin): Internal {
  const state = (plugin as unknown as { [INTERNAL]?: Internal })[INTERNAL]
  if (!state) throw new PepperpyError('not a PepperpyPlugin instance (did its constructor call super()?)')
  return state
}

function frozenRecord<V>(entries: Iterable<[string, V]>): Readonly<Record<string, V>> {
  const out: Record<string, V> = {}
  for (const [k, v] of entries) {
    if (isUnsafeKey(k)) continue
    Object.defineProperty(out, k, { value: v, enumerable: true })
  }
  // `JSON.stringify(plugin.config)` and `util.inspect(plugin.config)` show secrets redacted too
  Object.defineProperty(out, 'toJSON', { value: () => redactSecrets({ ...out }), enumerable: false })
  Object.defineProperty(out, INSPECT, {
    value: (_d: number, o: unknown, inspect?: (v: unknown, o: unknown) => string) =>
      inspect ? inspect(redactSecrets({ ...out }), o) : JSON.stringify(redactSecrets({ ...out })),
    enumerable: false,
  })
  return Object.freeze(out)
}

function isConfigLike(value: unknown): boolean {
  if (value === null) return true
  const t = typeof value
  if (t === 'string' || t === 'number' || t === 'boolean') return true
  if (Array.isArray(value)) return true
  if (t === 'object') {
    const proto = Object.getPrototypeOf(value)
    return proto === Object.prototype || proto === null
  }
  return false
}

/**
 * Base class of every plugin: identity, resolved config, lifecycle flag, logger and dependency lookup.
 * Create instances through a plugin system (or {@link PepperpyPlugin.create}) so config is bound to
 * declared fields after construction.
 * @example
 * class Echo extends PepperpyPlugin {
 *   prefix = 'echo'
 *   async generate(text: string) { return `${this.prefix}: ${text}` }
 * }
 */
export class PepperpyPlugin implements AsyncDisposable {
  /** Stamped by `register()`. */
  static pluginType?: string
  /** Stamped by `register()`. */
  static provider?: string
  /** Dependencies on other plugins. */
  static dependencies?: readonly DependencySpec[]
  /** JSON Schema of the config. */
  static configSchema?: JsonSchema

  /** Prefer a plugin system's `createProviderInstance` or {@link PepperpyPlugin.create}; `config` is bound on `initialize()` when constructed directly. */
  constructor(config?: Record<string, unknown>) {
    const init = pendingInit
    pendingInit = undefined
    const statics = new.target as PluginStatics
    const type = init?.type ?? statics.pluginType ?? 'plugin'
    const provider = init?.provider ?? statics.provider ?? new.target.name
    const given = init?.config ?? config ?? {}
    const parentLogger = init?.logger ?? createLogger()
    const state: Internal = {
      type,
      provider,
      config: frozenRecord(Object.entries(given)),
      sources: frozenRecord(Object.entries(init?.sources ?? {})),
      logger: parentLogger,
      parentLogger,
      context: init?.context ?? {},
      initialized: false,
      bound: false,
      finalize: init?.finalizeConfig,
      hooks: emptyHooks(),
      initializing: undefined,
      cleaning: undefined,
      signal: undefined,
    }
    state.logger = redactingLogger(childLogger(parentLogger, `${type}/${provider}`), state.config)
    Object.defineProperty(this, INTERNAL, { value: state, enumerable: false, configurable: true })
    Object.defineProperty(this, 'initialize', { value: runInitialize, enumerable: false, writable: true, configurable: true })
    Object.defineProperty(this, 'cleanup', { value: runCleanup, enumerable: false, writable: true, configurable: true })
  }

  /**
   * Creates an instance of this class with `config` bound after construction (standalone use,
   * without a plugin system).
   */
  static create<T extends PepperpyPlugin>(
    this: new (config?: Record<string, unknown>) => T,
    config: Record<string, unknown> = {},
    init: Partial<PluginInit> = {},
  ): T {
    const statics = this as PluginStatics & { name: string }
    return instantiatePlugin(this, {
      type: statics.pluginType ?? 'plugin',
      provider: statics.provider ?? statics.name,
      config,
      ...init,
    })
  }

  /** The plugin type, e.g. `llm`. */
  get pluginType(): string {
    return internal(this).type
  }

  /** The provider, e.g. `openai` (the real one, never an alias). */
  get provider(): string {
    return internal(this).provider
  }

  /** `type/provider`. */
  get pluginId(): string {
    const s = internal(this)
    return `${s.type}/${s.provider}`
  }

  /** The effective config: every key, defaults included; read-only. Secrets are redacted in toJSON/inspect. */
  get config(): Readonly<Record<string, unknown>> {
    return internal(this).config
  }

  /** True between a successful `initialize()` and `cleanup()`. */
  get initialized(): boolean {
    return internal(this).initialized
  }
  set initialized(value: boolean) {
    internal(this).initialized = value
  }

  /** Logger named after the pluginId; secret config values are scrubbed from what it prints. */
  get logger(): Logger {
    return internal(this).logger
  }

  /** Aborted when the running `initialize()` times out; never aborted otherwise. */
  get signal(): AbortSignal {
    return internal(this).signal ?? NEVER_ABORTED
  }

  /** Sets the plugin up; the default only sets `initialized`. Safe to call twice. */
  async initialize(_options?: InitializeOptions): Promise<void> {
    this.initialized = true
  }

  /** Releases what the plugin holds; the default only clears `initialized`. Safe to call twice. */
  async cleanup(): Promise<void> {
    this.initialized = false
  }

  /** A live dependency injected by the manager, or undefined. */
  getDependency<T = PepperpyPlugin>(type: string, provider?: string): T | undefined {
    const get = internal(this).context.getDependency
    return get ? (get(type, provider) as T | undefined) : undefined
  }

  /** Same as `cleanup()`; enables `await using plugin = ...`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.cleanup()
  }

  /** A JSON view with secrets redacted. */
  toJSON(): Record<string, unknown> {
    return safeView(this)
  }
}

// `util.inspect` view with secrets redacted (no node:util import, so the contract stays portable).
Object.defineProperty(PepperpyPlugin.prototype, INSPECT, {
  enumerable: false,
  value(this: PepperpyPlugin, _depth: number, options: unknown, inspect?: (v: unknown, o: unknown) => string): string {
    const view = safeView(this)
    return `${this.constructor.name} ${inspect ? inspect(view, options) : JSON.stringify(view)}`
  },
})

function safeView(plugin: PepperpyPlugin): Record<string, unknown> {
  const s = internal(plugin)
  const secrets = collectSecretValues(s.config)
  const fields: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(plugin)) {
    if (isUnsafeKey(k) || typeof v === 'function') continue
    let shown: unknown = isSecretKey(k) && v != null ? REDACTED : redactSecrets(v)
    if (typeof shown === 'string') shown = scrubSecrets(shown, secrets)
    Object.defineProperty(fields, k, { value: shown, enumerable: true })
  }
  return { pluginId: plugin.pluginId, initialized: s.initialized, config: redactSecrets({ ...s.config }), ...fields }
}

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

async function runInitialize(this: PepperpyPlugin, options?: InitializeOptions): Promise<void> {
  const s = internal(this)
  if (s.initialized) return
  if (s.initializing) return s.initializing
  const work = (async () => {
    if (!s.bound) bindConfig(this, s)
    s.signal = options?.signal
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
      s.signal = undefined
    }
  })()
  s.initializing = work
  try {
    await work
  } finally {
    s.initializing = undefined
  }
}

async function runCleanup(this: PepperpyPlugin): Promise<void> {
  const s = internal(this)
  if (s.cleaning) return s.cleaning
  if (s.initializing) await s.initializing.catch(() => {})
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

function fieldFor(plugin: object, key: string): string | undefined {
  if (isUnsafeKey(key)) return undefined
  if (Object.hasOwn(plugin, key)) return key
  const camel = camelCase(key)
  return camel !== key && Object.hasOwn(plugin, camel) ? camel : undefined
}

function bindConfig(plugin: PepperpyPlugin, s: Internal): void {
  s.bound = true
  const fields = Object.keys(plugin).filter((k) => !isUnsafeKey(k))
  let resolved: ResolvedConfig = { config: { ...s.config }, sources: { ...s.sources } }
  if (s.finalize) {
    const defaults: Record<string, unknown> = {}
    for (const f of fields) Object.defineProperty(defaults, f, { value: (plugin as unknown as Record<string, unknown>)[f], enumerable: true })
    resolved = s.finalize(fields, defaults)
  }
  const covered = new Set<string>()
  const entries: Array<[string, unknown]> = []
  const sources: Array<[string, ConfigSource]> = []
  for (const [key, value] of Object.entries(resolved.config)) {
    if (isUnsafeKey(key)) continue
    entries.push([key, value])
    sources.push([key, resolved.sources[key] ?? 'call'])
    const field = fieldFor(plugin, key)
    if (field !== undefined) {
      covered.add(field)
      ;(plugin as unknown as Record<string, unknown>)[field] = value
    }
  }
  for (const field of fields) {
    const value = (plugin as unknown as Record<string, unknown>)[field]
    if (covered.has(field) || !isConfigLike(value)) continue
    entries.push([field, value])
    sources.push([field, 'class'])
  }
  s.config = frozenRecord(entries)
  s.sources = frozenRecord(sources)
  s.logger = redactingLogger(childLogger(s.parentLogger, `${s.type}/${s.provider}`), s.config)
}

/**
 * Constructs `Class` once and binds config to its declared fields after construction, so a
 * subclass's `param = 42` never beats a passed value (DESIGN decision 1).
 */
export function instantiatePlugin<T extends PepperpyPlugin>(
  Class: new (config?: Record<string, unknown>) => T,
  init: PluginInit,
): T {
  pendingInit = init
  let plugin: T
  try {
    plugin = new Class(init.config)
  } finally {
    pendingInit = undefined
  }
  const s = (plugin as unknown as { [INTERNAL]?: Internal })[INTERNAL]
  if (!s) throw new PepperpyError(`plugin class "${Class.name}" for "${init.type}/${init.provider}" does not extend PepperpyPlugin`, { pluginId: `${init.type}/${init.provider}` })
  bindConfig(plugin, s)
  return plugin
}

/** Adds a lifecycle hook to one plugin instance; returns a function that removes it. */
export function addLifecycleHook(plugin: PepperpyPlugin, name: LifecycleHookName, hook: LifecycleHook): () => void {
  const list = internal(plugin).hooks[name]
  list.push(hook)
  return () => {
    const i = list.indexOf(hook)
    if (i >= 0) list.splice(i, 1)
  }
}

/** The services injected into `plugin` (mutable: a system may add to it). */
export function pluginContext(plugin: PepperpyPlugin): PluginContext {
  return internal(plugin).context
}

/** Where each key of `plugin.config` came from. */
export function configSources(plugin: PepperpyPlugin): Readonly<Record<string, ConfigSource>> {
  return internal(plugin).sources
}

/** True for a class extending PepperpyPlugin (checked by shape, so it works across package copies). */
export function isPluginClass(value: unknown): value is PluginClass {
  if (typeof value !== 'function' || typeof value.prototype !== 'object' || value.prototype === null) return false
  const proto = value.prototype as object
  return 'pluginId' in proto && 'initialize' in proto && 'cleanup' in proto
}

/** True when `value` is a PepperpyPlugin instance (also across duplicate package copies). */
export function isPlugin(value: unknown): value is PepperpyPlugin {
  return typeof value === 'object' && value !== null && typeof (value as { pluginId?: unknown }).pluginId === 'string' && typeof (value as { initialize?: unknown }).initialize === 'function'
}
