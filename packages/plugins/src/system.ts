import { FileStateStore, startHotReload as startWatching, type HotReloadHandle, type HotReloadOptions } from '@pepperpy/extensions'
import { PluginManager } from '@pepperpy/manager'
import {
  channels,
  createLogger,
  describeError,
  type DependencyGraph,
  type DiscoveryReport,
  initOf,
  instantiateResolved,
  type LifecyclePolicy,
  type Logger,
  PepperpyError,
  type PepperpyPlugin,
  type PluginClass,
  type PluginInfo,
  type PluginMetadata,
  type StateStore,
} from '@pepperpy/plugin'
import { addLifecycleHook, type HotReloadHost, type PluginContext, pluginContext, type ResourcePoolPort } from '@pepperpy/plugin/spi'
import { withLimit, channelTracer } from '@pepperpy/plugin/spi'
import { PluginRegistry } from '@pepperpy/registry'
import { createResourcePool } from '@pepperpy/resources'
import { dependencyGraph } from './dependency-graph.js'
import { Leaders } from './leader.js'
import { isolatingResolver } from './isolation.js'
import { LiveInstances } from './live-instances.js'
import { sharedModules } from './shared-modules.js'
import type { PluginSystemOptions } from './options.js'
import type { CreateProviderInstance } from './typed-lookups.js'

const creating = channelTracer(channels.create)

/** A complete plugin system: registry, manager, resources, state and hot reload, wired together. */
export interface PluginSystem {
  readonly registry: PluginRegistry
  readonly manager: PluginManager
  readonly resources: ResourcePoolPort
  readonly stateStore: StateStore
  readonly logger: Logger
  /** What the hot reloader needs from this system. */
  readonly hotReloadHost: HotReloadHost
  /** A new, wired (not yet initialized) instance of `type/provider`; dependencies load on `initialize()`. */
  createProviderInstance: CreateProviderInstance
  registerPlugin(type: string, provider: string, PluginClass: PluginClass, metadata?: PluginMetadata): void
  registerPluginAlias(type: string, alias: string, provider: string, config?: Record<string, unknown>): void
  registerPluginFallbacks(type: string, providers: string[]): void
  registerPluginPath(path: string): void
  discoverPlugins(): Promise<DiscoveryReport>
  listPlugins(): PluginInfo[]
  /** The dependency graph of every known plugin (from manifests and metadata; no code loaded). */
  graph(): DependencyGraph
  startHotReload(options?: Omit<HotReloadOptions, 'host'>): Promise<HotReloadHandle>
  /** Stops hot reload and cleans up every instance, then every shared resource. */
  dispose(): Promise<void>
}

/**
 * The `(type, provider, config)` of a `createProviderInstance` call, which may also be `('type/provider', config)`.
 * @throws TypeError when no provider is given either way
 */
function splitId(
  first: string,
  second: string | Record<string, unknown> | undefined,
  third: Record<string, unknown> | undefined,
): { type: string; provider: string; config: Record<string, unknown> } {
  if (typeof second === 'string') return { type: first, provider: second, config: third ?? {} }
  const slash = typeof first === 'string' ? first.indexOf('/') : -1
  if (slash > 0 && slash < first.length - 1)
    return { type: first.slice(0, slash), provider: first.slice(slash + 1), config: second ?? third ?? {} }
  throw new TypeError(
    `createProviderInstance(${JSON.stringify(first)}): no provider given; write createProviderInstance('${first}', '<provider>') or createProviderInstance('${first}/<provider>')`,
  )
}

/**
 * Creates an isolated plugin system (tests, multi-tenant hosts); the functional API uses a default one.
 * @example
 * const system = createPluginSystem({ paths: ['./plugins'], defaultPaths: false })
 * const llm = await system.createProviderInstance('llm', 'echo')
 */
export function createPluginSystem(options: PluginSystemOptions = {}): PluginSystem {
  const logger = options.logger ?? createLogger()
  const env = options.env ?? process.env
  const registry = new PluginRegistry({
    logger,
    env,
    sharedModules: sharedModules(),
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.defaultPaths === undefined ? {} : { defaultPaths: options.defaultPaths }),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.strictConfig === undefined ? {} : { strictConfig: options.strictConfig }),
  })
  const resources = createResourcePool()
  const stateDir = options.stateDir ?? env['PEPPERPY_STATE_DIR']
  const stateStore = options.stateStore ?? new FileStateStore(stateDir ? { dir: stateDir } : {})
  const live = new LiveInstances()
  const resolver = isolatingResolver(registry, {
    isolation: options.isolation,
    initTimeoutMs: options.initTimeoutMs,
    cleanupTimeoutMs: options.cleanupTimeoutMs,
    env,
  })
  const leaders = new Leaders(options.lease, logger)
  // one lifecycle policy for every instance of this system, whichever path creates it
  const closing = new AbortController()
  const lifecycle: LifecyclePolicy = {
    initTimeoutMs: options.initTimeoutMs ?? 30_000,
    cleanupTimeoutMs: options.cleanupTimeoutMs ?? 30_000,
    closed: closing.signal,
  }
  const shared: PluginContext = { resources, stateStore, lifecycle }
  const manager = new PluginManager({
    resolver,
    logger,
    context: shared,
    initTimeoutMs: lifecycle.initTimeoutMs!,
    cleanupTimeoutMs: lifecycle.cleanupTimeoutMs!,
    ...(options.bootFailure ? { bootFailure: options.bootFailure } : {}),
    ...(options.slowInitWarnMs ? { slowInitWarnMs: options.slowInitWarnMs } : {}),
    decorate: (instance, resolved) => {
      live.track(instance)
      leaders.install(instance, resolved)
      return resolved.hotReload ? live.wrap(instance, initOf(resolved, logger, pluginContext(instance))) : instance
    },
  })
  const handles = new Set<HotReloadHandle>()

  const hotReloadHost: HotReloadHost = {
    loader: registry.loader,
    logger,
    targets: () => registry.hotReloadTargets().filter((t) => !resolver.isIsolated(t.type, t.provider)),
    replaceClass: (type, provider, Class) => registry.replaceClass(type, provider, Class),
    liveInstances: (type, provider) => live.liveInstances(type, provider),
  }

  const createProviderInstance = ((first: string, second?: string | Record<string, unknown>, third?: Record<string, unknown>) => {
    let id: ReturnType<typeof splitId>
    try {
      id = splitId(first, second, third)
    } catch (error) {
      return Promise.reject(error) // a promise-returning API never throws synchronously
    }
    const { type, provider, config } = id
    return creating.active
      ? creating.tracePromise({ pluginId: `${type}/${provider}`, type, provider }, () => createUnheld(type, provider, config))
      : createUnheld(type, provider, config)
  }) as CreateProviderInstance
  const createUnheld = async (type: string, provider: string, config: Record<string, unknown> | undefined): Promise<PepperpyPlugin> => {
    if (closing.signal.aborted) throw new PepperpyError(`cannot create "${type}/${provider}": the plugin system is disposed`)
    const resolved = await resolver.resolve(type, provider, config)
    const deps = new Map<string, PepperpyPlugin>()
    const context: PluginContext = {
      ...shared,
      getDependency: (t, p) => (p === undefined ? deps.get(t) : (deps.get(`${t}/${p}`) ?? manager.getInstance(t, p))),
    }
    const instance: PepperpyPlugin = instantiateResolved(resolved, logger, context)
    if (resolved.dependencies.length > 0) {
      addLifecycleHook(instance, 'beforeInitialize', async () => {
        for (const dep of await manager.loadDependenciesOf(instance, resolved.dependencies)) {
          deps.set(dep.pluginId, dep)
          if (!deps.has(dep.pluginType)) deps.set(dep.pluginType, dep)
        }
      })
    }
    live.track(instance)
    leaders.install(instance, resolved)
    return resolved.hotReload ? live.wrap(instance, initOf(resolved, logger, context)) : instance
  }

  let disposed: Promise<void> | undefined
  const system: PluginSystem = {
    registry,
    manager,
    resources,
    stateStore,
    logger,
    hotReloadHost,
    createProviderInstance,
    registerPlugin: (type, provider, Class, metadata) => {
      registry.register(type, provider, Class, metadata)
      leaders.register(type, provider, metadata?.leader)
    },
    registerPluginAlias: (type, alias, provider, config) => registry.registerAlias(type, alias, provider, config),
    registerPluginFallbacks: (type, providers) => registry.registerFallbacks(type, providers),
    registerPluginPath: (path) => registry.registerPath(path),
    discoverPlugins: () => registry.discover(),
    listPlugins: () => registry.list(),
    graph: () => dependencyGraph(registry.list(), manager),
    async startHotReload(opts = {}) {
      const handle = await startWatching({ ...opts, host: hotReloadHost })
      handles.add(handle)
      return handle
    },
    dispose() {
      disposed ??= disposeSystem()
      return disposed
    },
  }

  async function disposeSystem(): Promise<void> {
    closing.abort(new PepperpyError('the plugin system is being disposed')) // nothing starts from here on
    const errors: unknown[] = []
    const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn()
      } catch (error) {
        errors.push(error)
      }
    }
    leaders.stop()
    // every step is bounded: plugins by their own cleanupTimeoutMs, the rest here
    const bounded = (what: string, fn: () => Promise<unknown>) => () =>
      withLimit(
        fn(),
        lifecycle.cleanupTimeoutMs,
        () => new PepperpyError(`dispose: ${what} did not finish within ${lifecycle.cleanupTimeoutMs} ms`),
      )
    for (const handle of handles) await attempt(bounded('stopping hot reload', () => handle.stop()))
    await Promise.all(live.active().map((p) => attempt(() => p.cleanup().catch((e: unknown) => Promise.reject(named(p.pluginId, e))))))
    await attempt(() => manager.cleanup())
    await attempt(bounded('releasing shared resources', () => resources.dispose()))
    await attempt(bounded('stopping isolated plugins', () => resolver.disposeIsolation()))
    live.clear()
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1)
      throw new AggregateError(
        errors,
        `plugin system dispose failed ${errors.length} times: ${errors.map((e) => describeError(e)).join('; ')}`,
      )
  }

  return system
}

/** A cleanup failure that names its plugin (whatever was thrown is kept as the cause). */
function named(pluginId: string, error: unknown): unknown {
  if (PepperpyError.is(error) || error instanceof AggregateError) return error
  return new PepperpyError(`plugin "${pluginId}": cleanup() failed: ${describeError(error)}`, { cause: error, pluginId })
}
