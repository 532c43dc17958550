const BRAND: unique symbol = Symbol.for('pepperpy.error') as never

/** Stable machine-readable error codes, one per error class. */
export type PepperpyErrorCode =
  | 'PEPPERPY_ERROR'
  | 'PLUGIN_NOT_FOUND'
  | 'MANIFEST_INVALID'
  | 'CONFIG_INVALID'
  | 'DEPENDENCY_FAILED'
  | 'DEPENDENCY_CYCLE'
  | 'PLUGIN_INIT_FAILED'
  | 'PLUGIN_TIMEOUT'
  | 'RESOURCE_FAILED'
  | 'STATE_FAILED'
  | 'HOT_RELOAD_FAILED'
  | 'PLUGIN_CRASHED'
  | 'PLUGIN_DISABLED'
  | 'STATE_CONFLICT'
  | 'LEAK_DETECTED'

/** Options accepted by every PepperPy error. */
export interface PepperpyErrorOptions {
  /** The underlying error. */
  cause?: unknown
  /** The plugin id (`type/provider`) the error is about, when there is one. */
  pluginId?: string
}

/** Base class of every error the plugin system throws; recognise it with {@link PepperpyError.is}. */
export class PepperpyError extends Error {
  /** Stable code; safe to switch on. */
  readonly code: PepperpyErrorCode
  /** The plugin the error is about, when known. */
  readonly pluginId: string | undefined

  constructor(message: string, options: PepperpyErrorOptions = {}, code: PepperpyErrorCode = 'PEPPERPY_ERROR') {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.pluginId = options.pluginId
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true, writable: true })
    Object.defineProperty(this, BRAND, { value: true, enumerable: false })
  }

  /** True for any PepperPy error, also one thrown by another copy of this package. */
  static is(value: unknown): value is PepperpyError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

/** Why one provider could not be used, as listed by {@link PluginNotFoundError}. */
export interface ProviderAttempt {
  /** Provider name tried. */
  provider: string
  /** Why it was not usable. */
  reason: string
}

/** What {@link PluginNotFoundError} may say besides the providers tried. */
export interface PluginNotFoundDetails {
  /** The plugin roots that were searched, lowest precedence first. */
  roots?: string[]
  /** The providers known for the type. */
  known?: string[]
  /** The closest known ids (`llm/openai`), best first. */
  suggestions?: string[]
}

/** No usable provider: not registered, no manifest, or its entry point failed (fallbacks included). */
export class PluginNotFoundError extends PepperpyError {
  /** The plugin type asked for. */
  readonly type: string
  /** The provider asked for. */
  readonly provider: string
  /** Every provider tried, in order, with the reason it was not usable. */
  readonly tried: ProviderAttempt[]
  /** The roots searched, known providers of the type and closest ids, when the registry gave them. */
  readonly details: PluginNotFoundDetails
  constructor(type: string, provider: string, tried: ProviderAttempt[] = [], options: PepperpyErrorOptions & PluginNotFoundDetails = {}) {
    const list = tried.length > 0 ? tried : [{ provider, reason: 'not registered' }]
    const { roots, known, suggestions, ...rest } = options
    const parts = [`plugin "${type}/${provider}" not found; tried ${list.map((t) => `${t.provider} (${t.reason})`).join(', ')}.`]
    if (suggestions && suggestions.length > 0) parts.push(`Did you mean ${suggestions.join(' or ')}?`)
    if (known) parts.push(known.length > 0 ? `Known ${type} providers: ${known.join(', ')}.` : `No ${type} providers are known.`)
    if (roots) parts.push(roots.length > 0 ? `Searched: ${roots.join(', ')}.` : 'No plugin roots were searched.')
    parts.push('Register it, add a plugin.yaml under a plugin root, or register fallbacks.')
    super(parts.join(' '), { pluginId: `${type}/${provider}`, ...rest }, 'PLUGIN_NOT_FOUND')
    this.type = type
    this.provider = provider
    this.tried = list
    this.details = { ...(roots ? { roots } : {}), ...(known ? { known } : {}), ...(suggestions ? { suggestions } : {}) }
  }
}

/** A plugin.yaml (or package manifest) that cannot be used. */
export class ManifestError extends PepperpyError {
  /** The manifest file. */
  readonly file: string | undefined
  /** The field at fault, when one is. */
  readonly field: string | undefined
  constructor(message: string, options: PepperpyErrorOptions & { file?: string; field?: string } = {}) {
    super(message, options, 'MANIFEST_INVALID')
    this.file = options.file
    this.field = options.field
  }
}

/** One problem found in a plugin's configuration. */
export interface ConfigIssue {
  /** The config key at fault (dotted for nested keys). */
  key: string
  /** What is wrong with it. */
  message: string
}

/** Configuration that does not satisfy the plugin's schema or required keys; lists every issue. */
export class ConfigError extends PepperpyError {
  /** Every problem found, one per key. */
  readonly issues: ConfigIssue[]
  constructor(pluginId: string, issues: ConfigIssue[], options: PepperpyErrorOptions = {}) {
    super(
      `invalid config for plugin "${pluginId}": ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`,
      { pluginId, ...options },
      'CONFIG_INVALID',
    )
    this.issues = issues
  }
}

/** A dependency is missing or failed; `chain` runs from the dependent to the failing plugin. */
export class DependencyError extends PepperpyError {
  /** Plugin ids from the dependent down to the one that failed. */
  readonly chain: string[]
  constructor(message: string, options: PepperpyErrorOptions & { chain?: string[] } = {}) {
    super(message, options, 'DEPENDENCY_FAILED')
    this.chain = options.chain ?? (options.pluginId ? [options.pluginId] : [])
  }
}

/** The dependency graph has a cycle; `cycle` lists it in path order, first id repeated at the end. */
export class CircularDependencyError extends PepperpyError {
  /** The cycle in path order, e.g. `['a', 'b', 'c', 'a']`. */
  readonly cycle: string[]
  constructor(cycle: string[], options: PepperpyErrorOptions & { detail?: string } = {}) {
    super(
      `circular dependency: ${cycle.join(' -> ')}${options.detail ? ` (${options.detail})` : ''}. ` +
        'Break it, or mark one edge dependency_type: runtime.',
      options,
      'DEPENDENCY_CYCLE',
    )
    this.cycle = cycle
  }
}

/** A plugin's `initialize()` threw. */
export class PluginInitError extends PepperpyError {
  constructor(message: string, options: PepperpyErrorOptions = {}) {
    super(message, options, 'PLUGIN_INIT_FAILED')
  }
}

/** A plugin's `initialize()` (or another lifecycle step) did not finish in time. */
export class PluginTimeoutError extends PepperpyError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number
  constructor(message: string, timeoutMs: number, options: PepperpyErrorOptions = {}) {
    super(message, options, 'PLUGIN_TIMEOUT')
    this.timeoutMs = timeoutMs
  }
}

/** A shared resource or pool could not provide what was asked. */
export class ResourceError extends PepperpyError {
  constructor(message: string, options: PepperpyErrorOptions = {}) {
    super(message, options, 'RESOURCE_FAILED')
  }
}

/** Plugin state could not be loaded or saved. */
export class StateError extends PepperpyError {
  constructor(message: string, options: PepperpyErrorOptions = {}, code: 'STATE_FAILED' | 'STATE_CONFLICT' = 'STATE_FAILED') {
    super(message, options, code)
  }
}

/** New plugin code could not be loaded or swapped in; the old instance keeps serving. */
export class HotReloadError extends PepperpyError {
  constructor(message: string, options: PepperpyErrorOptions = {}) {
    super(message, options, 'HOT_RELOAD_FAILED')
  }
}

/** An isolated plugin's worker or process died (crash, exit, uncaught error, out of memory) while calls were in flight. */
export class PluginCrashedError extends PepperpyError {
  constructor(message: string, options: PepperpyErrorOptions = {}) {
    super(message, options, 'PLUGIN_CRASHED')
  }
}

/** An isolated plugin crashed too often within its restart window and no longer accepts calls. */
export class PluginDisabledError extends PepperpyError {
  constructor(message: string, options: PepperpyErrorOptions = {}) {
    super(message, options, 'PLUGIN_DISABLED')
  }
}

/** A state save was refused because another writer saved first (the stored revision differs). */
export class StateConflictError extends StateError {
  /** The revision the writer expected. */
  readonly expectedRevision: number | undefined
  /** The revision found in the store. */
  readonly actualRevision: number | undefined
  constructor(message: string, options: PepperpyErrorOptions & { expectedRevision?: number; actualRevision?: number } = {}) {
    super(message, options, 'STATE_CONFLICT')
    this.expectedRevision = options.expectedRevision
    this.actualRevision = options.actualRevision
  }
}

/** Something a test system's plugins left running (instances, timers, resources, pools) when it was disposed. */
export class LeakError extends PepperpyError {
  /** One line per leaked thing. */
  readonly leaks: string[]
  constructor(leaks: string[], options: PepperpyErrorOptions = {}) {
    super(`test system disposed with ${leaks.length} leak(s):\n  ${leaks.join('\n  ')}`, options, 'LEAK_DETECTED')
    this.leaks = leaks
  }
}

/**
 * A description of any thrown value, for a message; never throws (a null-prototype object, a
 * throwing `message` getter or `toJSON`, a revoked proxy, a symbol, a function, a circular object
 * are all described). The one helper for the job: `messageOf` (spi) is a deprecated alias of it.
 * @param value - what was thrown
 * @returns its non-empty `message`, else a printable description of it
 */
export function describeError(value: unknown): string {
  try {
    if (typeof value === 'string') return value || '(empty string)'
    if (typeof value === 'function') return `a thrown function${safely(() => (value.name ? ` ${value.name}` : ''), '')}`
    if (typeof value === 'object' && value !== null) {
      const message = safely(() => (value as { message?: unknown }).message, undefined)
      if (typeof message === 'string' && message !== '') return message
      const json = safely(() => JSON.stringify(value), undefined)
      if (json !== undefined && json !== '{}') return `${thrownKind(value)} ${json.length > 200 ? `${json.slice(0, 200)}...` : json}`
      return thrownKind(value)
    }
    return typeof value === 'symbol' ? value.toString() : `${String(value)} (a thrown ${typeof value})`
  } catch {
    return 'a thrown value that cannot be printed'
  }
}

function thrownKind(value: object): string {
  const name = safely(() => (value as { constructor?: { name?: unknown } }).constructor?.name, undefined)
  return typeof name === 'string' && name ? `a thrown ${name}` : 'a thrown object'
}

/** `read()`, or `fallback` when reading throws. */
function safely<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read()
  } catch {
    return fallback
  }
}
