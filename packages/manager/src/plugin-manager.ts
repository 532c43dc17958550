// Over 300 lines: PluginManager is the manager's whole public surface (createInstance, dependencies,
// initialize, cleanup, health, graph); the logic lives in internal/ (linker, initializer, node table).
import {
  channels,
  ConfigError,
  createLogger,
  DependencyError,
  instantiateResolved,
  PepperpyError,
  PluginInitError,
  type DependencySpec,
  type Logger,
  type PepperpyPlugin,
  type PluginMetadata,
} from '@pepperpy/plugin'
import { addLifecycleHook, type PluginContext, pluginIdOf, type PluginResolver, type ResolvedPlugin } from '@pepperpy/plugin/spi'
import { channelTracer } from '@pepperpy/plugin/spi'
import { ManagerEvents, type ManagerEvent, type ManagerEventName, type ManagerListener } from './events.js'
import { isOrderingEdge, type DependencyGraph, type GraphEdge } from './graph.js'
import { cleanupAll, cleanupError } from './internal/cleanup-all.js'
import { configDifference, newNode, type Edge, type Node } from './internal/node.js'
import { Linker } from './internal/linker.js'
import { NodeTable } from './internal/node-table.js'
import { Initializer } from './internal/initializer.js'
import { Health, SLOW_INIT_WARN_MS } from './internal/health.js'
import { cleanNode, isReady, upDependentOf } from './internal/liveness.js'
import type { BootReport, HealthReport } from './health.js'
import type { PluginManagerOptions } from './options.js'

const creating = channelTracer(channels.create)

/**
 * Holds one instance per type/provider, resolves their dependency graph and runs their lifecycle:
 * dependencies first and concurrently, with timeouts and rollback; dependents first at cleanup.
 * @example
 * const manager = new PluginManager({ resolver: registry })
 * manager.registerPluginMetadata('rag', 'chroma', { dependencies: [{ type: 'embeddings', provider: 'openai' }] })
 * const rag = await manager.createInstance('rag', 'chroma')
 * await manager.loadDependencies('rag', 'chroma')
 * await rag.initialize()
 */
export class PluginManager {
  readonly #resolver: PluginResolver
  readonly #logger: Logger
  readonly #shared: PluginContext
  readonly #decorate: PluginManagerOptions['decorate']
  readonly #table = new NodeTable()
  readonly #nodes: Map<string, Node> = this.#table.nodes
  readonly #events = new ManagerEvents()
  readonly #linker: Linker
  readonly #initializer: Initializer
  readonly #health: Health

  /** @throws PepperpyError when `initTimeoutMs` or `concurrency` is not a positive number */
  constructor(options: PluginManagerOptions) {
    const { initTimeoutMs = 30_000, cleanupTimeoutMs = 30_000, concurrency = Infinity } = options
    if (!(initTimeoutMs > 0))
      throw new PepperpyError(`PluginManager: initTimeoutMs must be a positive number of milliseconds (or Infinity), got ${initTimeoutMs}`)
    if (!(cleanupTimeoutMs > 0))
      throw new PepperpyError(
        `PluginManager: cleanupTimeoutMs must be a positive number of milliseconds (or Infinity), got ${cleanupTimeoutMs}`,
      )
    if (!(concurrency >= 1)) throw new PepperpyError(`PluginManager: concurrency must be at least 1 (or Infinity), got ${concurrency}`)
    this.#resolver = options.resolver
    this.#logger = options.logger ?? createLogger()
    // the limits travel in each instance's context: the plugin's own initialize()/cleanup() apply
    // them, on every path (the manager, createProviderInstance, autoContext, hot reload)
    const shared = options.context ?? {}
    this.#shared = shared.lifecycle ? shared : { ...shared, lifecycle: { initTimeoutMs, cleanupTimeoutMs } }
    this.#decorate = options.decorate
    this.#health = new Health(this.#logger, options.bootFailure ?? 'abort', options.slowInitWarnMs ?? SLOW_INIT_WARN_MS)
    this.#initializer = new Initializer({
      health: this.#health,
      table: this.#table,
      logger: this.#logger,
      concurrency,
      emit: (name, event) => this.#emit(name, event),
      now: (...events) => this.#now(...events),
    })
    this.#linker = new Linker(this.#table, this.#resolver, this.#logger, (type, provider) => this.createInstance(type, provider))
  }

  /**
   * Declares dependencies (added to those of its manifest and class) and the boot-failure policy of
   * `type/provider`; replaces earlier metadata. The rest of a {@link PluginMetadata} is the registry's.
   */
  registerPluginMetadata(type: string, provider: string, metadata: Pick<PluginMetadata, 'dependencies' | 'bootFailure'>): void {
    this.#table.setMetadata(pluginIdOf(type, provider), metadata.dependencies ?? [])
    this.#health.setPolicy(pluginIdOf(type, provider), metadata.bootFailure)
  }

  /** Each held plugin's state (`failed` and `skipped` make the status `degraded`), in initialization order. */
  health(): HealthReport {
    return this.#health.report(this.#heldInOrder(), (id) => this.#nodes.get(id)?.instance)
  }

  /** Each held plugin's state, `initialize()` start and duration, and ordering dependencies; print it with `formatBootReport`. */
  bootReport(): BootReport {
    const deps = (id: string): string[] => {
      const node = this.#nodes.get(id)
      return node
        ? this.#table
            .edgesNow(node)
            .filter((e) => isOrderingEdge(e.type) && e.to !== id && this.#nodes.has(e.to))
            .map((e) => e.to)
        : []
    }
    return this.#health.bootReport(this.#heldInOrder(), (id) => this.#nodes.get(id)?.instance, deps)
  }

  #heldInOrder(): string[] {
    try {
      return this.getInitializationOrder()
    } catch {
      return [...this.#nodes.keys()] // a cycle: creation order
    }
  }

  /** Subscribes to lifecycle events; returns a function that unsubscribes. */
  on(event: ManagerEventName, listener: ManagerListener): () => void {
    return this.#events.on(event, listener)
  }

  /**
   * The instance for the requested `type/provider` (an alias is its own key), created on first
   * call, not initialized. Idempotent and single-flight: concurrent calls share one creation.
   * @throws ConfigError naming the key when `config` differs from the live instance's config
   * @throws PepperpyError once the owning plugin system's `closed` signal is aborted (it is being disposed)
   */
  createInstance(type: string, provider: string, config?: Record<string, unknown>): Promise<PepperpyPlugin> {
    const key = pluginIdOf(type, provider)
    if (this.#shared.lifecycle?.closed?.aborted)
      return Promise.reject(new PepperpyError(`cannot create "${key}": the plugin system is disposed`, { pluginId: key }))
    const existing = this.#nodes.get(key)
    if (existing) {
      const differs = config === undefined ? undefined : configDifference(existing.config, config)
      // a creation running synchronously right now (asked again by its constructor, `decorate` or a
      // 'created' listener) has no promise yet: answer once it has returned
      if (differs === undefined) return existing.creating ?? Promise.resolve().then(() => existing.creating)
      const hint =
        'the manager keeps one instance per type/provider; use createProviderInstance (or an alias) for a differently configured one'
      return Promise.reject(new ConfigError(key, [{ key: differs, message: `differs from the live instance's config; ${hint}` }]))
    }
    if (creating.active) return creating.tracePromise({ pluginId: key, type, provider }, () => this.#createNew(key, type, provider, config))
    return this.#createNew(key, type, provider, config)
  }

  #createNew(key: string, type: string, provider: string, config: Record<string, unknown> | undefined): Promise<PepperpyPlugin> {
    const node = newNode(key, type, provider, config, undefined as never)
    this.#table.add(node) // before creating, which removes it again if the creation fails
    const t0 = this.#now('created', 'failed')
    // a class the resolver holds already (a registered one): created now, no await in between
    let resolved: ResolvedPlugin | undefined
    try {
      resolved = this.#resolver.resolveNow?.(type, provider, config)
    } catch (error) {
      return (node.creating = Promise.reject(this.#failed(node, error, t0)))
    }
    if (!resolved) return (node.creating = this.#create(node, t0))
    try {
      node.creating = Promise.resolve(this.#instantiate(node, resolved, t0))
    } catch (error) {
      node.creating = Promise.reject(error) // #instantiate reported it
    }
    return node.creating
  }

  async #create(node: Node, t0: number): Promise<PepperpyPlugin> {
    let resolved: ResolvedPlugin
    try {
      resolved = await this.#resolver.resolve(node.type, node.provider, node.config)
    } catch (error) {
      throw this.#failed(node, error, t0)
    }
    return this.#instantiate(node, resolved, t0)
  }

  /** Constructs the instance of `node`; on failure, forgets the node and throws. */
  #instantiate(node: Node, resolved: ResolvedPlugin, t0: number): PepperpyPlugin {
    try {
      const context: PluginContext = { ...this.#shared, getDependency: (t, p) => this.#dependencyOf(node, t, p) }
      const plugin: PepperpyPlugin = instantiateResolved(resolved, this.#logger, context)
      // `plugin.initialize()` called directly still brings its dependencies up first
      addLifecycleHook(plugin, 'beforeInitialize', () => (this.#ready(node) ? undefined : this.#loadClosure(node)))
      node.resolved = resolved
      node.instance = this.#decorate ? this.#decorate(plugin, resolved) : plugin
    } catch (error) {
      throw this.#failed(node, error, t0)
    }
    if (t0 >= 0) this.#emit('created', { pluginId: node.key, durationMs: performance.now() - t0 })
    return node.instance
  }

  /** Forgets a node whose creation failed, emits `failed`, and returns the error to throw. */
  #failed(node: Node, error: unknown, t0: number): unknown {
    this.#table.remove(node)
    if (t0 >= 0) this.#emit('failed', { pluginId: node.key, durationMs: performance.now() - t0, error: error as Error })
    return error
  }

  #dependencyOf(node: Node, type: string, provider?: string): PepperpyPlugin | undefined {
    for (const edge of this.#table.edgesNow(node)) {
      const target = this.#nodes.get(edge.to)
      if (!target?.instance || target.type !== type || this.#health.down(target.key, target.instance)) continue
      if (provider === undefined || target.provider === provider || target.instance.provider === provider) return target.instance
    }
    return provider === undefined ? undefined : this.getInstance(type, provider)
  }

  /** The live instance of the requested `type/provider`, if the manager holds one. */
  getInstance(type: string, provider: string): PepperpyPlugin | undefined {
    return this.#nodes.get(pluginIdOf(type, provider))?.instance
  }

  /**
   * Cleans up the held instance of `type/provider` and forgets it, so the next `createInstance`
   * makes a new one (new config, or new code). Resolves false when the manager holds none.
   * @throws DependencyError naming the held plugins that depend on it (remove those first); nothing is removed then
   * @throws the instance's cleanup error (or a PluginTimeoutError past `cleanupTimeoutMs`); it is forgotten anyway
   */
  async removeInstance(type: string, provider: string): Promise<boolean> {
    const key = pluginIdOf(type, provider)
    const node = this.#nodes.get(key)
    if (!node) return false
    if (!node.instance) {
      try {
        await node.creating
      } catch {
        return false // the creation failed: the manager no longer holds it
      }
    }
    if (this.#nodes.get(key) !== node) return false // removed meanwhile
    const dependents: string[] = []
    for (const other of this.#nodes.values())
      if (other !== node && this.#table.edgesNow(other).some((e) => e.to === key)) dependents.push(other.key)
    if (dependents.length > 0) {
      const who = dependents.join(', ')
      throw new DependencyError(
        `cannot remove ${key}: ${who} ${dependents.length === 1 ? 'depends' : 'depend'} on it; remove ${dependents.length === 1 ? 'it' : 'them'} first`,
        { chain: [dependents[0]!, key], pluginId: key },
      )
    }
    this.#table.remove(node)
    this.#health.forget(key)
    await this.#cleanOne(key, node.instance!)
    return true
  }

  /** Cleans up one instance (within its `cleanupTimeoutMs`) and emits `cleaned` (with the error on failure). */
  async #cleanOne(id: string, instance: PepperpyPlugin): Promise<void> {
    const was = instance.initialized
    const t0 = performance.now()
    try {
      await instance.cleanup()
    } catch (error) {
      this.#emit('cleaned', { pluginId: id, durationMs: performance.now() - t0, error: error as Error })
      throw error
    }
    if (was) this.#emit('cleaned', { pluginId: id, durationMs: performance.now() - t0 })
  }

  /** Every instance the manager holds, in creation order. */
  listInstances(): PepperpyPlugin[] {
    const out: PepperpyPlugin[] = []
    for (const node of this.#nodes.values()) if (node.instance) out.push(node.instance)
    return out
  }

  /**
   * Creates and initializes everything `type/provider` needs (recursively) and returns its direct
   * dependencies; the plugin itself is created but not initialized.
   * @throws DependencyError when a required or runtime dependency is missing or fails
   * @throws CircularDependencyError when the closure has a cycle of ordering edges
   */
  async loadDependencies(type: string, provider: string): Promise<PepperpyPlugin[]> {
    await this.createInstance(type, provider)
    const node = this.#nodes.get(pluginIdOf(type, provider))!
    await this.#loadClosure(node)
    return this.#direct(node.edges ?? [])
  }

  /**
   * Creates and initializes what a plugin made elsewhere needs (an instance from
   * `createProviderInstance`, which the manager does not hold) and returns its direct dependencies.
   * @throws DependencyError when a required or runtime dependency is missing or fails
   */
  async loadDependenciesOf(plugin: PepperpyPlugin, dependencies: readonly DependencySpec[]): Promise<PepperpyPlugin[]> {
    const epoch = this.#initializer.epoch
    const outside = newNode(plugin.pluginId, plugin.pluginType, plugin.provider, undefined, Promise.resolve(plugin))
    outside.edges = await this.#linker.edgesOf(outside, dependencies, (k) => [k])
    const closure = await this.#linker.link(outside.edges.map((e) => e.to))
    await this.#initializer.run([...closure], outside, epoch)
    return this.#direct(outside.edges)
  }

  /**
   * Initializes every instance the manager holds (and what they need), dependencies first, concurrently where independent.
   * @throws PluginInitError once the owning plugin system is being disposed (its `closed` signal is aborted)
   */
  async initialize(): Promise<void> {
    const closed = this.#shared.lifecycle?.closed
    if (closed?.aborted)
      throw new PluginInitError('manager.initialize() refused: its plugin system is being disposed', { cause: closed.reason })
    const epoch = this.#initializer.epoch // a cleanup() while linking cancels this boot too
    const all = await this.#linker.link([...this.#nodes.keys()])
    await this.#initializer.run([...all], undefined, epoch)
  }

  /**
   * Cleans up every instance, dependents first and independent ones concurrently; attempts all,
   * then reports every failure in one AggregateError naming the plugins. Idempotent; instances stay
   * held. A `manager.initialize()` still running starts no more plugins and rolls back.
   */
  async cleanup(): Promise<void> {
    this.#initializer.cancel() // a running initialize() starts nothing more (and rolls back)
    const ids = [...this.#nodes.values()].filter((n) => n.instance).map((n) => n.key)
    const upDependent = upDependentOf(this.#table)
    const listed = new Set(ids)
    const cleaned = new Set<string>()
    // a dependent cleaned by this call (or created since) that a later initialize() brought up keeps its dependencies up
    const broughtUp = (d: string): boolean => cleaned.has(d) || !listed.has(d)
    const failures = await cleanupAll(ids, this.#table.dependents(ids), async (id) => {
      const node = this.#nodes.get(id)
      const instance = node?.instance
      if (!instance) return
      const by = upDependent(id, broughtUp)
      try {
        if (by) this.#logger.debug(`cleanup: ${id} stays initialized: ${by}, initialized after this cleanup() began, depends on it`)
        else await cleanNode(node, () => this.#cleanOne(id, instance))
      } finally {
        cleaned.add(id)
      }
    })
    if (failures.length > 0) throw cleanupError(failures)
  }

  /**
   * Every held plugin, dependencies before dependents.
   * @throws CircularDependencyError when the held plugins form a cycle of ordering edges
   */
  getInitializationOrder(): string[] {
    return this.#table.order()
  }

  /** Every held plugin, dependents before dependencies. */
  getShutdownOrder(): string[] {
    return this.getInitializationOrder().reverse()
  }

  /** Nodes and typed edges of the held plugins (for `pepperpy graph` and tools). */
  graph(): DependencyGraph {
    const nodes: DependencyGraph['nodes'] = []
    const edges: GraphEdge[] = []
    for (const node of this.#nodes.values()) {
      const manifestPath = node.resolved?.info.manifestPath
      nodes.push({
        id: node.key,
        type: node.type,
        provider: node.provider,
        initialized: node.instance?.initialized ?? false,
        ...(manifestPath ? { manifestPath } : {}),
      })
      for (const e of this.#table.edgesNow(node)) edges.push({ from: node.key, to: e.to, dependencyType: e.type })
    }
    return { nodes, edges }
  }

  /** True when every ordering dependency of `node` is initialized (or deliberately skipped). */
  #ready(node: Node): boolean {
    if (!node.edges) return this.#table.specsOf(node).length === 0
    for (const edge of node.edges) {
      if (!isOrderingEdge(edge.type)) continue
      const target = this.#table.targetNode(edge)
      if (!target?.instance || (!isReady(target) && !target.skipped && !this.#downAndOptional(edge.type, target))) return false
    }
    return true
  }

  /** A target the boot left failed or skipped, through an edge that does not require it. */
  #downAndOptional(type: string, target: Node): boolean {
    return type !== 'required' && this.#health.down(target.key, target.instance) !== undefined
  }

  async #loadClosure(node: Node): Promise<void> {
    const epoch = this.#initializer.epoch
    const closure = [...(await this.#linker.link([node.key]))]
    this.#table.order(closure) // cycle check including the plugin itself
    // what needs the plugin itself (through a runtime edge back to it) can only start after it
    const after = this.#table.reaching(closure, node.key)
    await this.#initializer.run(
      closure.filter((id) => !after.has(id)),
      node,
      epoch,
    )
  }

  #direct(edges: readonly Edge[]): PepperpyPlugin[] {
    const direct: PepperpyPlugin[] = []
    for (const edge of edges) {
      const target = this.#nodes.get(edge.to)
      if (target?.instance && !target.skipped) direct.push(target.instance)
    }
    return direct
  }

  /** `performance.now()` when one of `events` has a listener, else -1 (nothing to time). */
  #now(...events: ManagerEventName[]): number {
    for (const e of events) if (this.#events.has(e)) return performance.now()
    return -1
  }

  #emit(name: ManagerEventName, event: ManagerEvent): void {
    for (const error of this.#events.emit(name, event)) this.#logger.error(`a '${name}' listener threw`, error)
  }
}
