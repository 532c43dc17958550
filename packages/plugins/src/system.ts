import { FileStateStore, startHotReload as startWatching, type HotReloadHandle, type HotReloadOptions } from '@pepperpy/extensions'
import { PluginManager } from '@pepperpy/manager'
import {
  createLogger,
  type DependencyGraph,
  type DiscoveryReport,
  type Logger,
  type PepperpyPlugin,
  type PluginClass,
  type PluginInfo,
  type PluginTypes,
  type StateStore,
} from '@pepperpy/plugin'
import {
  addLifecycleHook,
  instantiatePlugin,
  type HotReloadHost,
  type PluginContext,
  type PluginInit,
  pluginContext,
  type ResolvedPlugin,
  type ResourcePoolPort,
} from '@pepperpy/plugin/spi'
import * as extensionsModule from '@pepperpy/extensions'
import * as managerModule from '@pepperpy/manager'
import * as registryModule from '@pepperpy/registry'
import { PluginRegistry, type PluginMetadata } from '@pepperpy/registry'
import * as resourcesModule from '@pepperpy/resources'
import { createResourcePool } from '@pepperpy/resources'
import * as umbrellaModule from './index.js'
import { dependencyGraph } from './dependency-graph.js'
import { LiveInstances } from './live-instances.js'
import type { PluginSystemOptions } from './options.js'

/** The plugin type's interface from {@link PluginTypes}, or PepperpyPlugin for unknown types. */
export type PluginOf<K extends string> = K extends keyof PluginTypes ? PluginTypes[K] : PepperpyPlugin

/** A typed `createProviderInstance`: `llm` gives `PluginTypes['llm']` once augmented. */
export interface CreateProviderInstance {
  <K extends string>(type: K, provider: string, config?: Record<string, unknown>): Promise<PluginOf<K>>
}

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
    // plugin code gets the host's copies of these, so instanceof, mixins and singletons hold
    sharedModules: {
      '@pepperpy/registry': registryModule,
      '@pepperpy/manager': managerModule,
      '@pepperpy/resources': resourcesModule,
      '@pepperpy/extensions': extensionsModule,
      '@pepperpy/plugins': umbrellaModule,
    },
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.defaultPaths === undefined ? {} : { defaultPaths: options.defaultPaths }),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  })
  const resources = createResourcePool()
  const stateDir = options.stateDir ?? env['PEPPERPY_STATE_DIR']
  const stateStore = options.stateStore ?? new FileStateStore(stateDir ? { dir: stateDir } : {})
  const live = new LiveInstances()
  const shared: PluginContext = { resources, stateStore }
  const manager = new PluginManager({
    resolver: registry,
    logger,
    context: shared,
    ...(options.initTimeoutMs === undefined ? {} : { initTimeoutMs: options.initTimeoutMs }),
    ...(options.cleanupTimeoutMs === undefined ? {} : { cleanupTimeoutMs: options.cleanupTimeoutMs }),
    decorate: (instance, resolved) => {
      live.track(instance)
      return resolved.hotReload ? live.wrap(instance, initOf(instance, resolved, logger)) : instance
    },
  })
  const handles = new Set<HotReloadHandle>()

  const hotReloadHost: HotReloadHost = {
    loader: registry.loader,
    logger,
    targets: () => registry.hotReloadTargets(),
    replaceClass: (type, provider, Class) => registry.replaceClass(type, provider, Class),
    liveInstances: (type, provider) => live.liveInstances(type, provider),
  }

  const createProviderInstance = (async (type: string, provider: string, config: Record<string, unknown> = {}) => {
    const resolved = await registry.resolve(type, provider, config)
    const deps = new Map<string, PepperpyPlugin>()
    const context: PluginContext = {
      ...shared,
      getDependency: (t, p) => (p ? deps.get(`${t}/${p}`) : deps.get(t)) ?? manager.getInstance(t, p ?? ''),
    }
    const init: PluginInit = {
      type: resolved.type,
      provider: resolved.provider,
      config: resolved.config,
      sources: resolved.sources,
      logger,
      context,
      ...(resolved.finalizeConfig ? { finalizeConfig: resolved.finalizeConfig } : {}),
    }
    const instance = instantiatePlugin(resolved.PluginClass, init)
    if (resolved.dependencies.length > 0) {
      addLifecycleHook(instance, 'beforeInitialize', async () => {
        for (const dep of await manager.loadDependenciesOf(instance, resolved.dependencies)) {
          deps.set(dep.pluginId, dep)
          if (!deps.has(dep.pluginType)) deps.set(dep.pluginType, dep)
        }
      })
    }
    live.track(instance)
    return resolved.hotReload ? live.wrap(instance, init) : instance
  }) as CreateProviderInstance

  let disposed: Promise<void> | undefined
  const system: PluginSystem = {
    registry,
    manager,
    resources,
    stateStore,
    logger,
    hotReloadHost,
    createProviderInstance,
    registerPlugin: (type, provider, Class, metadata) => registry.register(type, provider, Class, metadata),
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
    const errors: unknown[] = []
    const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn()
      } catch (error) {
        errors.push(error)
      }
    }
    for (const handle of handles) await attempt(() => handle.stop())
    await Promise.all(live.initialized().map((p) => attempt(() => p.cleanup())))
    await attempt(() => manager.cleanup())
    await attempt(() => resources.dispose())
    live.clear()
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, `plugin system dispose failed ${errors.length} times`)
  }

  return system
}

function initOf(instance: PepperpyPlugin, resolved: ResolvedPlugin, logger: Logger): PluginInit {
  return {
    context: pluginContext(instance),
    type: resolved.type,
    provider: resolved.provider,
    config: resolved.config,
    ...(resolved.sources ? { sources: resolved.sources } : {}),
    ...(resolved.finalizeConfig ? { finalizeConfig: resolved.finalizeConfig } : {}),
    logger,
  }
}
