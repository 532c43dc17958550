import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import {
  createLogger, hotReloadableMark, isPluginClass, PluginNotFoundError,
  type DependencySpec, type DiscoveryReport, type HotReloadTarget, type Logger, type ModuleLoader, type PluginClass,
  type PluginInfo, type PluginResolver, type ProviderAttempt, type ResolvedPlugin,
} from '@pepperpy/plugin'
import { followAliases, type AliasTarget } from './aliases.js'
import { makePlan, finalizeWithFields, resolveConfig, type ConfigPlan } from './config/config-plan.js'
import type { DiscoveredPlugin } from './discovery/discovered.js'
import { discover, type DiscoveryResult, type Root } from './discovery/discover.js'
import { lazyRequire } from './internal/lazy.js'
import { safeRecord } from './internal/names.js'
import { manifestDependencies } from './manifest/dependencies.js'
import { createModuleLoader } from './module-loader.js'
import type { PluginMetadata, PluginRegistryOptions } from './options.js'

interface Registered {
  Class: PluginClass
  metadata: PluginMetadata
  info: PluginInfo
}

interface Candidate {
  provider: string
  layers: Record<string, unknown>[]
  Class: PluginClass
  discovered?: DiscoveredPlugin
  registered?: Registered
}

const ENV_PREFIX = /^PEPPERPY_|_API_KEY$/

function hostVersionOf(): string {
  try {
    return (createRequire(import.meta.url)('@pepperpy/plugin/package.json') as { version: string }).version
  } catch {
    return '0.0.0'
  }
}

/**
 * The plugin registry: registration, aliases, fallbacks, discovery of plugin.yaml manifests and
 * plugin packages, config merging and validation, and lazy loading of entry points. Implements
 * the contract's `PluginResolver`.
 * @example
 * const registry = new PluginRegistry({ paths: ['./plugins'] })
 * const { plugins, diagnostics } = await registry.discover()
 * const { PluginClass, config } = await registry.resolve('llm', 'openai', { model: 'gpt-4o' })
 */
export class PluginRegistry implements PluginResolver {
  /** Imports entry modules (TypeScript included); also used by hot reload with `fresh: true`. */
  readonly loader: ModuleLoader
  readonly #logger: Logger
  readonly #options: PluginRegistryOptions
  readonly #hostVersion: string
  readonly #registered = new Map<string, Registered>()
  readonly #aliases = new Map<string, AliasTarget>()
  readonly #fallbacks = new Map<string, string[]>()
  readonly #paths: string[] = []
  readonly #classes = new Map<string, PluginClass>()
  readonly #loading = new Map<string, Promise<PluginClass>>()
  readonly #plans = new Map<string, { Class: PluginClass; plan: ConfigPlan }>()
  #scan: DiscoveryResult | undefined
  #env: Record<string, string | undefined> = {}

  constructor(options: PluginRegistryOptions = {}) {
    this.#options = options
    this.#logger = options.logger ?? createLogger()
    this.#hostVersion = options.hostVersion ?? hostVersionOf()
    this.loader = createModuleLoader(options.sharedModules ? { sharedModules: options.sharedModules } : {})
    this.refreshEnvironment()
  }

  /**
   * Re-reads the environment. It is read once (when the registry is created and at each
   * `discover()`), not on every `resolve()`: only `PEPPERPY_*` and `*_API_KEY` variables are kept.
   */
  refreshEnvironment(): void {
    const source = this.#options.env ?? process.env
    const env: Record<string, string | undefined> = Object.create(null)
    for (const key of Object.keys(source)) if (ENV_PREFIX.test(key)) env[key] = source[key]
    this.#env = env
  }

  /** Registers a class as `type/provider`; it beats discovered plugins of the same id. */
  register(type: string, provider: string, Class: PluginClass, metadata: PluginMetadata = {}): void {
    if (!isPluginClass(Class)) throw new TypeError(`registerPlugin("${type}", "${provider}"): expected a class extending PepperpyPlugin`)
    for (const key of ['pluginType', 'provider'] as const) {
      if (!Object.hasOwn(Class, key)) Object.defineProperty(Class, key, { value: key === 'pluginType' ? type : provider, configurable: true, writable: true })
    }
    const id = `${type}/${provider}`
    const info: PluginInfo = {
      type,
      provider,
      source: 'registered',
      ...(metadata.name ? { name: metadata.name } : {}),
      ...(metadata.version ? { version: metadata.version } : {}),
      ...(metadata.description ? { description: metadata.description } : {}),
    }
    this.#registered.set(id, { Class, metadata, info })
    this.#plans.delete(id)
  }

  /** Forgets a registered class; returns whether there was one. */
  unregister(type: string, provider: string): boolean {
    this.#plans.delete(`${type}/${provider}`)
    return this.#registered.delete(`${type}/${provider}`)
  }

  /** Makes `type/alias` mean `type/provider` with preset `config` (the call's config wins). Chains are allowed. */
  registerAlias(type: string, alias: string, provider: string, config: Record<string, unknown> = {}): void {
    this.#aliases.set(`${type}/${alias}`, { provider, config: safeRecord(config) })
    followAliases(this.#aliases, type, alias) // throws now on a loop, naming it
  }

  /** Providers tried in order when the requested one of `type` is unavailable (`'auto'` = first available). */
  registerFallbacks(type: string, providers: string[]): void {
    this.#fallbacks.set(type, [...providers])
  }

  /** Adds a plugin root, searched after the others; visible at once. */
  registerPath(path: string): void {
    this.#paths.push(path)
    this.#scan = undefined
  }

  /** The plugin roots, lowest precedence first. */
  roots(): string[] {
    return [...this.#rootsBefore(), ...this.#rootsAfter()].map((r) => r.path)
  }

  #rootsBefore(): Root[] {
    return (this.#options.builtinPaths ?? []).map((path) => ({ path, optional: true }))
  }

  #rootsAfter(): Root[] {
    const roots: Root[] = []
    if (this.#options.defaultPaths !== false) {
      roots.push({ path: join(this.#options.homeDir ?? homedir(), '.pepperpy', 'plugins'), optional: true })
      roots.push({ path: join(this.#cwd(), 'plugins'), optional: true })
      const env = (this.#options.env ?? process.env)['PEPPERPY_PLUGIN_PATH']
      for (const path of (env ?? '').split(delimiter).filter(Boolean)) roots.push({ path, optional: false })
    }
    for (const path of [...(this.#options.paths ?? []), ...this.#paths]) roots.push({ path, optional: false })
    return roots
  }

  #cwd(): string {
    return this.#options.cwd ?? process.cwd()
  }

  #discovered(): DiscoveryResult {
    this.#scan ??= discover(this.#rootsBefore(), this.#options.defaultPaths === false ? undefined : this.#cwd(), this.#rootsAfter(), this.#hostVersion)
    return this.#scan
  }

  /** Scans every root and plugin package anew: the plugins found and a diagnostic for each problem. */
  async discover(): Promise<DiscoveryReport> {
    this.#scan = undefined
    this.refreshEnvironment()
    const scan = this.#discovered()
    const plugins = [...scan.plugins.values()].map((p) => p.info)
    for (const [id, reg] of this.#registered) {
      const shadowed = scan.plugins.get(id)
      if (shadowed) scan.diagnostics.push({ file: shadowed.info.manifestPath ?? id, severity: 'warning', message: `${id} from ${shadowed.info.manifestPath} is overridden by a class given to registerPlugin` })
      void reg
    }
    return { plugins, diagnostics: [...scan.diagnostics] }
  }

  /** Every known plugin (registered and discovered), sorted by type/provider; no code is loaded. */
  list(): PluginInfo[] {
    const byId = new Map<string, PluginInfo>()
    for (const [id, p] of this.#discovered().plugins) byId.set(id, p.info)
    for (const [id, r] of this.#registered) byId.set(id, r.info)
    return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, info]) => info)
  }

  /** Plugin types known, sorted. */
  listTypes(): string[] {
    return [...new Set(this.list().map((p) => p.type))].sort()
  }

  /** What the registry knows about `type/provider` (aliases followed), without loading code. */
  getMetadata(type: string, provider: string): (PluginInfo & { dependencies: DependencySpec[] }) | undefined {
    const real = followAliases(this.#aliases, type, provider).provider
    const id = `${type}/${real}`
    const reg = this.#registered.get(id)
    if (reg) return { ...reg.info, dependencies: [...(reg.metadata.dependencies ?? []), ...(reg.Class.dependencies ?? [])] }
    const found = this.#discovered().plugins.get(id)
    return found ? { ...found.info, dependencies: manifestDependencies(found.manifest) } : undefined
  }

  /** True when `type/provider` is registered, discovered, or an alias of one. */
  has(type: string, provider: string): boolean {
    let real: string
    try {
      real = followAliases(this.#aliases, type, provider).provider
    } catch {
      return false
    }
    const id = `${type}/${real}`
    return this.#registered.has(id) || this.#discovered().plugins.has(id)
  }

  /** True when `version` satisfies the semver `range`. */
  satisfies(version: string, range: string): boolean {
    return lazyRequire<{ satisfies(v: string, r: string, o: object): boolean }>('semver').satisfies(version, range, { includePrerelease: true })
  }

  /**
   * Loads (once) and returns the class and merged, validated config of `type/provider`, following
   * aliases and, when it is unavailable, the type's fallbacks.
   * @throws PluginNotFoundError listing every provider tried and why
   * @throws ConfigError listing every config problem
   */
  async resolve(type: string, provider: string, config: Record<string, unknown> = {}): Promise<ResolvedPlugin> {
    const tried: ProviderAttempt[] = []
    if (provider !== 'auto') {
      const first = await this.#candidate(type, provider, tried)
      if (first) return this.#build(type, provider, first, config)
    }
    for (const fallback of this.#fallbacks.get(type) ?? []) {
      if (fallback === provider || fallback === 'auto' || tried.some((t) => t.provider === fallback)) continue
      const c = await this.#candidate(type, fallback, tried)
      if (c) {
        if (provider !== 'auto') this.#logger.warn(`${type}/${provider} is unavailable (${tried[0]?.reason}); using fallback ${type}/${c.provider}`)
        return this.#build(type, provider, c, config)
      }
    }
    if (provider === 'auto' && tried.length === 0) tried.push({ provider: 'auto', reason: `no fallbacks registered for "${type}"` })
    throw new PluginNotFoundError(type, provider, tried)
  }

  async #candidate(type: string, name: string, tried: ProviderAttempt[]): Promise<Candidate | undefined> {
    let alias
    try {
      alias = followAliases(this.#aliases, type, name)
    } catch (error) {
      tried.push({ provider: name, reason: (error as PluginNotFoundError).tried[0]?.reason ?? 'alias loop' })
      return undefined
    }
    const id = `${type}/${alias.provider}`
    const registered = this.#registered.get(id)
    if (registered) return { provider: alias.provider, layers: alias.layers, Class: registered.Class, registered }
    let discovered = this.#discovered().plugins.get(id)
    if (!discovered && this.#scan) {
      this.#scan = undefined // a plugin folder may have appeared since the last scan
      discovered = this.#discovered().plugins.get(id)
    }
    if (!discovered) {
      tried.push({ provider: name, reason: alias.provider === name ? 'not registered' : `alias of ${alias.provider}, which is not registered` })
      return undefined
    }
    try {
      const Class = await this.#load(id, discovered)
      return { provider: alias.provider, layers: alias.layers, Class, discovered }
    } catch (error) {
      tried.push({ provider: name, reason: `entry point failed: ${(error as Error).message}` })
      return undefined
    }
  }

  #load(id: string, plugin: DiscoveredPlugin): Promise<PluginClass> {
    const loaded = this.#classes.get(id)
    if (loaded) return Promise.resolve(loaded)
    let loading = this.#loading.get(id)
    if (!loading) {
      loading = this.#import(id, plugin).then(
        (Class) => {
          this.#classes.set(id, Class)
          this.#loading.delete(id)
          return Class
        },
        (error: unknown) => {
          this.#loading.delete(id)
          throw error
        },
      )
      this.#loading.set(id, loading)
    }
    return loading
  }

  async #import(id: string, plugin: DiscoveredPlugin): Promise<PluginClass> {
    const file = plugin.entryFile
    if (!file) throw new Error(plugin.entryProblem ?? `no entry module for ${id}`)
    let ns: Record<string, unknown>
    try {
      ns = await this.loader.load(file)
    } catch (error) {
      throw new Error(`cannot load ${file}: ${(error as Error).message.split('\n')[0]}`, { cause: error })
    }
    const name = plugin.exportName ?? 'default'
    const Class = ns[name]
    if (Class === undefined) {
      const exports = Object.keys(ns).filter((k) => k !== '__esModule')
      throw new Error(`${file} has no ${name === 'default' ? 'default export' : `export "${name}"`}; it exports ${exports.join(', ') || 'nothing'}`)
    }
    if (!isPluginClass(Class)) throw new Error(`export "${name}" of ${file} is not a class extending PepperpyPlugin`)
    const [type, provider] = [plugin.info.type, plugin.info.provider]
    for (const [key, value] of [['pluginType', type], ['provider', provider]] as const) {
      if (!Object.hasOwn(Class, key)) Object.defineProperty(Class, key, { value, configurable: true, writable: true })
    }
    this.#logger.debug(`loaded ${id} from ${file}`)
    return Class
  }

  #planFor(id: string, c: Candidate): ConfigPlan {
    const cached = this.#plans.get(id)
    if (cached && cached.Class === c.Class) return cached.plan
    const m = c.discovered?.manifest
    const md = c.registered?.metadata
    const [type, provider] = [id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1)]
    const plan = makePlan({
      type,
      provider,
      schema: m?.config_schema ?? md?.configSchema ?? c.Class.configSchema,
      defaults: m?.default_config ?? md?.defaultConfig,
      required: m?.required_config_keys ?? md?.requiredConfigKeys,
    })
    this.#plans.set(id, { Class: c.Class, plan })
    return plan
  }

  #build(type: string, requested: string, c: Candidate, call: Record<string, unknown>): ResolvedPlugin {
    const id = `${type}/${c.provider}`
    const plan = this.#planFor(id, c)
    const env = this.#env
    const base = resolveConfig(plan, call, c.layers, env)
    const m = c.discovered?.manifest
    const dependencies: DependencySpec[] = [
      ...(m ? manifestDependencies(m) : []),
      ...(c.registered?.metadata.dependencies ?? []),
      ...(c.Class.dependencies ?? []),
    ]
    const info = c.registered?.info ?? c.discovered!.info
    const entryFile = c.discovered?.entryFile ?? hotReloadableMark(c.Class)?.file
    return {
      type,
      provider: c.provider,
      requestedProvider: requested,
      PluginClass: c.Class,
      config: base.config,
      sources: base.sources,
      finalizeConfig: (fields, defaults) => finalizeWithFields(plan, base, env, fields, defaults),
      dependencies,
      info,
      hotReload: m?.hot_reload === true || c.registered?.metadata.hotReload === true || hotReloadableMark(c.Class) !== undefined,
      ...(entryFile ? { entryFile } : {}),
    }
  }

  /** Hot-reloadable plugins with files: manifests with `hot_reload: true` and marked classes. */
  hotReloadTargets(): HotReloadTarget[] {
    const targets: HotReloadTarget[] = []
    for (const p of this.#discovered().plugins.values()) {
      if (p.manifest.hot_reload !== true || !p.entryFile) continue
      targets.push({ type: p.info.type, provider: p.info.provider, dir: p.dir, entryFile: p.entryFile, ...(p.exportName ? { exportName: p.exportName } : {}) })
    }
    for (const [id, r] of this.#registered) {
      const mark = hotReloadableMark(r.Class)
      if (!mark?.file) continue
      const i = id.indexOf('/')
      targets.push({ type: id.slice(0, i), provider: id.slice(i + 1), dir: dirname(mark.file), entryFile: mark.file, exportName: mark.exportName ?? r.Class.name })
    }
    return targets
  }

  /** Uses `Class` for `type/provider` from now on (hot reload); manifest information is kept. */
  replaceClass(type: string, provider: string, Class: PluginClass): void {
    const id = `${type}/${provider}`
    const reg = this.#registered.get(id)
    if (reg) reg.Class = Class
    else this.#classes.set(id, Class)
    this.#plans.delete(id)
  }
}
