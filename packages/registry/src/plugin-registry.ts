// Over 300 lines: this class is the registry's whole public surface; each method is a thin layer
// over discovery/, config/ and internal/, where the logic lives.
import { dirname } from 'node:path'
import {
  describeError,
  createLogger,
  PluginNotFoundError,
  type DependencySpec,
  type Diagnostic,
  type DiscoveryReport,
  type Logger,
  type PluginClass,
  type PluginInfo,
  type ProviderAttempt,
} from '@pepperpy/plugin'
import {
  compareText,
  hotReloadableMark,
  type HotReloadTarget,
  isPluginClass,
  type ModuleLoader,
  type PluginResolver,
  type ResolvedPlugin,
} from '@pepperpy/plugin/spi'
import { followAliases, type AliasTarget } from './aliases.js'
import { makePlan, type ConfigPlan } from './config/config-plan.js'
import type { UnknownKeyPolicy } from './config/unknown-keys.js'
import { discover, type DiscoveryResult, type Root } from './discovery/discover.js'
import type { DiscoveredPlugin } from './discovery/discovered.js'
import { ProblemLog } from './discovery/problem-log.js'
import { rootsAfter, rootsBefore, type RootOptions } from './discovery/roots.js'
import {
  buildResolved,
  candidateDependencies,
  candidateStatics,
  type Candidate,
  type CandidateStatics,
  type Registered,
} from './internal/candidate.js'
import { cacheRoot } from './internal/cache-dir.js'
import { ClassCache, stamp } from './internal/class-cache.js'
import { checkedHostVersion } from './internal/host-version.js'
import { lazyRequire } from './internal/lazy.js'
import { notFound } from './internal/not-found.js'
import { envPrefix, nameProblem, prefixOf, safeRecord } from './internal/names.js'
import { ManifestCache, readManifestCached } from './manifest/manifest-cache.js'
import { createModuleLoader } from './module-loader.js'
import type { LocatedPlugin, PluginMetadata, PluginRegistryOptions } from './options.js'

const byId = ([a]: [string, unknown], [b]: [string, unknown]): number => compareText(a, b)

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
  readonly #hostVersion: () => string
  readonly #registered = new Map<string, Registered>()
  readonly #aliases = new Map<string, AliasTarget>()
  readonly #fallbacks = new Map<string, string[]>()
  readonly #paths: string[] = []
  readonly #classes: ClassCache
  readonly #plans = new Map<string, { Class: PluginClass; source: object | undefined; plan: ConfigPlan; statics: CandidateStatics }>()
  #scan: { key: string; result: DiscoveryResult } | undefined
  readonly #problems: ProblemLog
  /** Environment prefix -> registered id. */
  readonly #prefixes = new Map<string, string>()
  readonly #scanPrefixes = new WeakMap<DiscoveryResult, Map<string, string>>()
  readonly #unknownKeys: UnknownKeyPolicy
  #env: Record<string, string | undefined> = {}
  /** Where the on-disk caches go; undefined for none. */
  readonly #cacheFolder: string | undefined

  constructor(options: PluginRegistryOptions = {}) {
    this.#options = options
    this.#logger = options.logger ?? createLogger()
    this.#hostVersion = checkedHostVersion(options.hostVersion)
    this.#problems = new ProblemLog(this.#logger)
    this.#unknownKeys = { strict: options.strictConfig === true, warn: (message) => this.#problems.once(message, message) }
    this.#cacheFolder =
      options.cacheDir === false ? undefined : (options.cacheDir ?? cacheRoot(options.cwd ?? process.cwd(), options.env ?? process.env))
    this.loader = createModuleLoader({
      ...(options.sharedModules ? { sharedModules: options.sharedModules } : {}),
      cacheDir: this.#cacheFolder ?? false,
    })
    this.#classes = new ClassCache(this.loader, this.#logger)
    this.refreshEnvironment()
  }

  /**
   * Kept for compatibility: the environment is read live (only the variables of declared keys)
   * on every `resolve()`, so there is nothing to refresh.
   */
  refreshEnvironment(): void {
    this.#env = this.#options.env ?? process.env
  }

  /**
   * Registers a class as `type/provider`; it beats discovered plugins of the same id. Stamps
   * `static pluginType`/`provider` when the class has none of its own.
   * @throws TypeError when `Class` does not extend PepperpyPlugin, a name is not `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`, or
   * another provider already reads the same environment variables (`open-ai` and `open_ai`)
   */
  register(type: string, provider: string, Class: PluginClass, metadata: PluginMetadata = {}): void {
    const problem = nameProblem('type', type) ?? nameProblem('provider', provider)
    if (problem) throw new TypeError(`registerPlugin(${JSON.stringify(type)}, ${JSON.stringify(provider)}): ${problem}`)
    if (!isPluginClass(Class)) throw new TypeError(`registerPlugin("${type}", "${provider}"): expected a class extending PepperpyPlugin`)
    const twin = this.#envTwin(type, provider)
    if (twin)
      throw new TypeError(
        `registerPlugin("${type}", "${provider}"): ${twin} is already registered and reads the same environment variables (${envPrefix(type, provider)}__*); use that name or rename one of them`,
      )
    stamp(Class, type, provider)
    const info: PluginInfo = {
      type,
      provider,
      source: 'registered',
      ...(metadata.name ? { name: metadata.name } : {}),
      ...(metadata.version ? { version: metadata.version } : {}),
      ...(metadata.description ? { description: metadata.description } : {}),
    }
    const id = `${type}/${provider}`
    this.#registered.set(id, { Class, metadata, info })
    this.#prefixes.set(envPrefix(type, provider), id)
  }

  /** Another id, registered or found by the last discovery, whose environment prefix equals that of `type/provider`. */
  #envTwin(type: string, provider: string): string | undefined {
    const id = `${type}/${provider}`
    const prefix = envPrefix(type, provider)
    const registered = this.#prefixes.get(prefix)
    if (registered !== undefined && registered !== id) return registered
    const scan = this.#scan?.result
    if (!scan) return undefined
    let found = this.#scanPrefixes.get(scan)
    if (!found) this.#scanPrefixes.set(scan, (found = new Map([...scan.plugins.keys()].map((other) => [prefixOf(other), other]))))
    const discovered = found.get(prefix)
    return discovered !== undefined && discovered !== id ? discovered : undefined
  }

  /** Forgets a registered class; returns whether there was one. */
  unregister(type: string, provider: string): boolean {
    if (this.#prefixes.get(envPrefix(type, provider)) === `${type}/${provider}`) this.#prefixes.delete(envPrefix(type, provider))
    return this.#registered.delete(`${type}/${provider}`)
  }

  /**
   * Makes `type/alias` mean `type/provider` with preset `config` (the call's config wins; an outer
   * alias's config wins over the one it points to). Chains are allowed.
   * @throws PluginNotFoundError naming the loop when the alias would close one (nothing is registered then)
   */
  registerAlias(type: string, alias: string, provider: string, config: Record<string, unknown> = {}): void {
    const key = `${type}/${alias}`
    const previous = this.#aliases.get(key)
    this.#aliases.set(key, { provider, config: safeRecord(config) })
    try {
      followAliases(this.#aliases, type, alias)
    } catch (error) {
      if (previous) this.#aliases.set(key, previous)
      else this.#aliases.delete(key)
      throw error
    }
  }

  /** Providers tried in order when the requested one of `type` is unavailable (`'auto'` = first available); replaces earlier ones. */
  registerFallbacks(type: string, providers: string[]): void {
    this.#fallbacks.set(type, [...providers])
  }

  /** Adds a plugin root, searched after the others; its plugins are visible to the next call. */
  registerPath(path: string): void {
    this.#paths.push(path)
  }

  /** The plugin roots, lowest precedence first (plugin packages sit between the built-in roots and the rest). */
  roots(): string[] {
    const o = this.#rootOptions()
    return [...rootsBefore(o), ...rootsAfter(o)].map((r) => r.path)
  }

  #rootOptions(): RootOptions {
    const o = this.#options
    return {
      builtinPaths: o.builtinPaths,
      defaultPaths: o.defaultPaths,
      homeDir: o.homeDir,
      cwd: o.cwd ?? process.cwd(),
      env: o.env ?? process.env,
      paths: [...(o.paths ?? []), ...this.#paths],
    }
  }

  /** The last scan, redone when the roots changed since (a registered path, PEPPERPY_PLUGIN_PATH, cwd). */
  #discovered(force = false): DiscoveryResult {
    const o = this.#rootOptions()
    const before = rootsBefore(o)
    const after = rootsAfter(o)
    const packagesFrom = o.defaultPaths === false ? undefined : o.cwd
    const key = JSON.stringify([before, packagesFrom, after])
    if (force || this.#scan?.key !== key) {
      this.#scan = { key, result: this.#scanRoots(key, before, packagesFrom, after) }
      this.#problems.log(this.#scan.result.diagnostics)
    }
    return this.#scan.result
  }

  /** One discovery pass, with manifests' parses taken from (and saved to) the on-disk cache when there is one. */
  #scanRoots(key: string, before: Root[], packagesFrom: string | undefined, after: Root[]): DiscoveryResult {
    const dir = this.#cacheFolder
    if (dir === undefined) return discover(before, packagesFrom, after, this.#hostVersion)
    const cache = new ManifestCache(dir, key)
    const result = discover(before, packagesFrom, after, this.#hostVersion, (file) => readManifestCached(file, cache))
    cache.flush()
    return result
  }

  /** Scans every root and plugin package anew (and re-reads the environment): the plugins found and a diagnostic for each problem. */
  async discover(): Promise<DiscoveryReport> {
    this.refreshEnvironment()
    const scan = this.#discovered(true)
    const diagnostics: Diagnostic[] = [...scan.diagnostics]
    const byPrefix = new Map([...scan.plugins.values()].map((p) => [envPrefix(p.info.type, p.info.provider), p]))
    for (const id of this.#registered.keys()) {
      const twin = byPrefix.get(prefixOf(id))
      if (twin && `${twin.info.type}/${twin.info.provider}` !== id)
        diagnostics.push({
          file: twin.info.manifestPath ?? id,
          severity: 'error',
          message: `${twin.info.type}/${twin.info.provider} reads the same environment variables as ${id}, which is registered with registerPlugin; rename one of them`,
        })
      const shadowed = scan.plugins.get(id)
      if (shadowed)
        diagnostics.push({
          file: shadowed.info.manifestPath ?? id,
          severity: 'warning',
          message: `${id} from ${shadowed.info.manifestPath} is overridden by a class given to registerPlugin`,
        })
    }
    return { plugins: [...scan.plugins.values()].map((p) => p.info), diagnostics }
  }

  /** Every known plugin (registered and discovered), sorted by type/provider; no code is loaded. */
  list(): PluginInfo[] {
    const all = new Map<string, PluginInfo>()
    for (const [id, p] of this.#discovered().plugins) all.set(id, p.info)
    for (const [id, r] of this.#registered) all.set(id, r.info)
    return [...all.entries()].sort(byId).map(([, info]) => info)
  }

  /** Plugin types known, sorted. */
  listTypes(): string[] {
    return [...new Set(this.list().map((p) => p.type))].sort()
  }

  /** What the registry knows about `type/provider` (aliases followed), without loading code; undefined when unknown. */
  getMetadata(type: string, provider: string): (PluginInfo & { dependencies: DependencySpec[] }) | undefined {
    let real: string
    try {
      real = followAliases(this.#aliases, type, provider).provider
    } catch {
      return undefined
    }
    const id = `${type}/${real}`
    const reg = this.#registered.get(id)
    if (reg) return { ...reg.info, dependencies: candidateDependencies({ Class: reg.Class, registered: reg }) }
    const found = this.#discovered().plugins.get(id)
    return found ? { ...found.info, dependencies: candidateDependencies({ Class: {} as PluginClass, discovered: found }) } : undefined
  }

  /** True when `type/provider` is registered, discovered, or an alias of one (no code is loaded). */
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

  /** True when `version` satisfies the semver `range` (prereleases included). */
  satisfies(version: string, range: string): boolean {
    return lazyRequire<{ satisfies(v: string, r: string, o: object): boolean }>('semver').satisfies(version, range, {
      includePrerelease: true,
    })
  }

  /**
   * Loads (once) and returns the class and merged, validated config of `type/provider`, following
   * aliases and, when it is unavailable, the type's fallbacks (`'auto'`: the first available fallback).
   * @throws PluginNotFoundError listing every provider tried and why
   * @throws ConfigError listing every config problem
   */
  resolve(type: string, provider: string, config: Record<string, unknown> = {}): Promise<ResolvedPlugin> {
    // a registered class needs no loading: resolved without awaiting anything
    const registered = provider === 'auto' ? undefined : this.#registeredCandidate(type, provider)
    if (!registered) return this.#resolve(type, provider, config)
    try {
      return Promise.resolve(this.#build(provider, registered, config))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * `resolve()` of a registered class, synchronously; undefined when the answer needs `resolve()`
   * (a discovered plugin, a fallback, `'auto'`, an unknown provider).
   * @throws ConfigError listing every config problem
   */
  resolveNow(type: string, provider: string, config: Record<string, unknown> = {}): ResolvedPlugin | undefined {
    const registered = provider === 'auto' ? undefined : this.#registeredCandidate(type, provider)
    return registered && this.#build(provider, registered, config)
  }

  #registeredCandidate(type: string, name: string): Candidate | undefined {
    let alias: ReturnType<typeof followAliases>
    try {
      alias = followAliases(this.#aliases, type, name)
    } catch {
      return undefined // the full path reports the loop
    }
    const id = `${type}/${alias.provider}`
    const registered = this.#registered.get(id)
    return registered && { id, type, provider: alias.provider, layers: alias.layers, Class: registered.Class, registered }
  }

  async #resolve(type: string, provider: string, config: Record<string, unknown>): Promise<ResolvedPlugin> {
    const tried: ProviderAttempt[] = []
    if (provider !== 'auto') {
      const first = await this.#candidate(type, provider, tried)
      if (first) return this.#build(provider, first, config)
    }
    for (const fallback of this.#fallbacks.get(type) ?? []) {
      if (fallback === provider || fallback === 'auto' || tried.some((t) => t.provider === fallback)) continue
      const c = await this.#candidate(type, fallback, tried)
      if (!c) continue
      if (provider !== 'auto')
        this.#logger.warn(`${type}/${provider} is unavailable (${tried[0]?.reason}); using fallback ${type}/${c.provider}`)
      return this.#build(provider, c, config)
    }
    if (provider === 'auto' && tried.length === 0) tried.push({ provider: 'auto', reason: `no fallbacks registered for "${type}"` })
    throw notFound({
      type,
      provider,
      tried,
      scan: this.#discovered(),
      registered: [...this.#registered.keys()],
      aliases: this.#aliases,
      roots: this.roots(),
    })
  }

  async #candidate(type: string, name: string, tried: ProviderAttempt[]): Promise<Candidate | undefined> {
    let alias: ReturnType<typeof followAliases>
    try {
      alias = followAliases(this.#aliases, type, name)
    } catch (error) {
      tried.push({ provider: name, reason: (error as PluginNotFoundError).tried[0]?.reason ?? 'alias loop' })
      return undefined
    }
    const id = `${type}/${alias.provider}`
    const registered = this.#registered.get(id)
    if (registered) return { id, type, provider: alias.provider, layers: alias.layers, Class: registered.Class, registered }
    const discovered = this.#discovered().plugins.get(id)
    if (!discovered) {
      tried.push({
        provider: name,
        reason: alias.provider === name ? 'not registered' : `alias of ${alias.provider}, which is not registered`,
      })
      return undefined
    }
    try {
      return { id, type, provider: alias.provider, layers: alias.layers, Class: await this.#classes.load(discovered), discovered }
    } catch (error) {
      tried.push({ provider: name, reason: `entry point failed: ${describeError(error)}` })
      return undefined
    }
  }

  #build(requested: string, c: Candidate, call: Record<string, unknown>): ResolvedPlugin {
    const id = c.id
    const source = c.discovered?.manifest ?? c.registered?.metadata
    let cached = this.#plans.get(id)
    if (!cached || cached.Class !== c.Class || cached.source !== source) {
      const m = c.discovered?.manifest
      const md = c.registered?.metadata
      const plan = makePlan({
        type: c.type,
        provider: c.provider,
        schema: m?.config_schema ?? md?.configSchema ?? c.Class.configSchema,
        defaults: m?.default_config ?? md?.defaultConfig,
        required: m?.required_config_keys ?? md?.requiredConfigKeys,
      })
      this.#plans.set(id, (cached = { Class: c.Class, source, plan, statics: candidateStatics(c) }))
    }
    return buildResolved(requested, c, cached.plan, cached.statics, call, this.#env, this.#unknownKeys)
  }

  /**
   * Where the code of discovered `type/provider` is (aliases followed), without loading it: for
   * running it elsewhere (isolation). Undefined for registered classes, unknown ids and plugins
   * without an entry module.
   */
  locate(type: string, provider: string): LocatedPlugin | undefined {
    const found = this.#locate(type, provider)
    if (!found) return undefined
    const { discovered: d, alias } = found
    return {
      type,
      provider: alias.provider,
      dir: d.dir,
      entryFile: d.entryFile!,
      ...(d.exportName ? { exportName: d.exportName } : {}),
      manifest: d.manifest,
      info: d.info,
      dependencies: candidateDependencies({ Class: {} as PluginClass, discovered: d }),
    }
  }

  /**
   * `resolve()` of discovered `type/provider` with `Class` standing in for its code, which is not
   * loaded: config merged and validated from call, aliases, environment and manifest. Undefined
   * when {@link locate} finds nothing.
   * @throws ConfigError listing every config problem
   */
  resolveWith(type: string, provider: string, config: Record<string, unknown>, Class: PluginClass): ResolvedPlugin | undefined {
    const found = this.#locate(type, provider)
    if (!found) return undefined
    const { discovered, alias } = found
    return this.#build(
      provider,
      { id: `${type}/${alias.provider}`, type, provider: alias.provider, layers: alias.layers, Class, discovered },
      config,
    )
  }

  #locate(type: string, provider: string): { discovered: DiscoveredPlugin; alias: ReturnType<typeof followAliases> } | undefined {
    let alias: ReturnType<typeof followAliases>
    try {
      alias = followAliases(this.#aliases, type, provider)
    } catch {
      return undefined
    }
    const id = `${type}/${alias.provider}`
    if (this.#registered.has(id)) return undefined
    const discovered = this.#discovered().plugins.get(id)
    return discovered?.entryFile ? { discovered, alias } : undefined
  }

  /** Hot-reloadable plugins with files: manifests with `hot_reload: true` and registered classes marked hot-reloadable with a file. */
  hotReloadTargets(): HotReloadTarget[] {
    const targets: HotReloadTarget[] = []
    for (const p of this.#discovered().plugins.values()) {
      if (p.manifest.hot_reload !== true || !p.entryFile || this.#registered.has(`${p.info.type}/${p.info.provider}`)) continue
      targets.push({
        type: p.info.type,
        provider: p.info.provider,
        dir: p.dir,
        entryFile: p.entryFile,
        ...(p.exportName ? { exportName: p.exportName } : {}),
      })
    }
    for (const [id, r] of this.#registered) {
      const mark = hotReloadableMark(r.Class)
      if (!mark?.file) continue
      const i = id.indexOf('/')
      targets.push({
        type: id.slice(0, i),
        provider: id.slice(i + 1),
        dir: dirname(mark.file),
        entryFile: mark.file,
        exportName: mark.exportName ?? r.Class.name,
      })
    }
    return targets.sort((a, b) => compareText(`${a.type}/${a.provider}`, `${b.type}/${b.provider}`))
  }

  /**
   * Uses `Class` for `type/provider` from now on (hot reload); manifest information and
   * registration metadata are kept.
   * @throws PluginNotFoundError when `type/provider` is neither registered nor discovered
   */
  replaceClass(type: string, provider: string, Class: PluginClass): void {
    const id = `${type}/${provider}`
    stamp(Class, type, provider)
    const reg = this.#registered.get(id)
    if (reg) {
      reg.Class = Class
      return
    }
    const found = this.#discovered().plugins.get(id)
    if (!found) throw new PluginNotFoundError(type, provider, [{ provider, reason: 'not registered or discovered; nothing to replace' }])
    this.#classes.replace(found, Class)
  }
}
