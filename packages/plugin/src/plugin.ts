import type { PluginInit } from './init.js'
import { instantiatePlugin } from './instantiate.js'
import { frozenRecord } from './internal/frozen-record.js'
import { runCleanup, runInitialize } from './internal/lifecycle-runner.js'
import { INIT, INTERNAL, type Internal, internal } from './internal/state.js'
import { isUnsafeKey } from './keys.js'
import type { InitializeOptions } from './lifecycle.js'
import { childLogger, defaultLogger, type Logger, redactingLogger } from './logger.js'
import type { Lease } from './ports/lease.js'
import { collectSecretValues, isSecretKey, REDACTED, redactSecrets, scrubSecrets, secretKeysOf } from './secrets.js'
import type { DependencySpec, JsonSchema } from './types.js'

const INSPECT = Symbol.for('nodejs.util.inspect.custom')
const NEVER_ABORTED: AbortSignal = new AbortController().signal

/** Statics a plugin class may declare. */
export interface PluginStatics {
  /** Stamped by `register()`; used when the class is constructed directly. */
  pluginType?: string
  /** Stamped by `register()`. */
  provider?: string
  /** Dependencies on other plugins. */
  dependencies?: readonly DependencySpec[]
  /** JSON Schema of the config, validated with ajv at creation. */
  configSchema?: JsonSchema
}

/** A plugin class: constructible with an optional config, plus optional statics. */
export type PluginClass<T extends PepperpyPlugin = PepperpyPlugin> = (new (config?: Record<string, unknown>) => T) & PluginStatics

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
  /** The lease of a `leader: true` plugin while it leads (`lease.token` is its fencing token); set by the plugin system. */
  declare readonly lease?: Lease

  /** Prefer a plugin system's `createProviderInstance` or {@link PepperpyPlugin.create}; `config` is bound on `initialize()` when constructed directly. */
  constructor(config?: Record<string, unknown>) {
    // instantiatePlugin passes its PluginInit inside the config argument (a copy of the config with
    // a hidden key): no module-level hand-off, so a plugin created inside another's constructor is safe
    const init = (config as { [INIT]?: PluginInit } | undefined)?.[INIT]
    const statics = new.target as PluginStatics
    const state: Internal = {
      type: init?.type ?? statics.pluginType ?? 'plugin',
      provider: init?.provider ?? statics.provider ?? new.target.name,
      rawConfig: (init ? init.config : config) ?? {},
      config: undefined,
      sources: init?.sources ?? {},
      logger: undefined,
      parentLogger: init?.logger ?? defaultLogger(),
      context: init?.context ?? {},
      initialized: false,
      bound: false,
      finalize: init?.finalizeConfig,
      hooks: undefined,
      phase: 'idle',
      last: undefined,
      abandoned: undefined,
      abandonedCleanup: undefined,
      initOptions: undefined,
      abort: undefined,
      caller: undefined,
      cancelRun: undefined,
    }
    Object.defineProperty(this, INTERNAL, { value: state, enumerable: false, configurable: true })
    Object.defineProperty(this, 'initialize', { value: runInitialize, enumerable: false, writable: true, configurable: true })
    Object.defineProperty(this, 'cleanup', { value: runCleanup, enumerable: false, writable: true, configurable: true })
  }

  /**
   * Creates an instance of this class with `config` bound after construction (standalone use,
   * without a plugin system).
   */
  static create<T extends PepperpyPlugin>(
    this: new (
      config?: Record<string, unknown>,
    ) => T,
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
    const s = internal(this)
    s.config ??= frozenRecord(Object.entries(s.rawConfig), secretKeysOf(s.rawConfig))
    return s.config
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
    const s = internal(this)
    s.logger ??= redactingLogger(childLogger(s.parentLogger, `${s.type}/${s.provider}`), this.config)
    return s.logger
  }

  /** Aborted when the running `initialize()` times out, when `cleanup()` is called during it, or when its caller aborts. */
  get signal(): AbortSignal {
    return internal(this).initOptions?.signal ?? NEVER_ABORTED
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
  const config = plugin.config
  const keys = secretKeysOf(config)
  const secrets = collectSecretValues(config, keys)
  const fields: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(plugin)) {
    if (isUnsafeKey(k) || typeof v === 'function') continue
    let shown: unknown = isSecretKey(k, keys) && v != null ? REDACTED : redactSecrets(v)
    if (typeof shown === 'string') shown = scrubSecrets(shown, secrets)
    Object.defineProperty(fields, k, { value: shown, enumerable: true })
  }
  return { pluginId: plugin.pluginId, initialized: s.initialized, config: redactSecrets({ ...config }, keys), ...fields }
}
