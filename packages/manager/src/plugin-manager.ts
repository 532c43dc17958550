import {
  ConfigError, createLogger, DependencyError, instantiatePlugin, PepperpyError, PluginInitError,
  type DependencySpec, type DependencyType, type Logger, type PepperpyPlugin, type PluginContext,
  type PluginResolver, type ResolvedPlugin,
} from '@pepperpy/plugin'
import { ManagerEvents, type ManagerEventName, type ManagerListener } from './events.js'
import { isOrderingEdge, topologicalOrder, type DependencyGraph, type GraphEdge } from './graph.js'
import { runGraph } from './internal/scheduler.js'
import { initializeWithTimeout } from './internal/timeout.js'
import type { PluginManagerOptions, PluginMetadataInput } from './options.js'

interface Edge {
  to: string
  type: DependencyType
}

interface Node {
  key: string
  type: string
  provider: string
  config: Record<string, unknown> | undefined
  creating: Promise<PepperpyPlugin>
  instance?: PepperpyPlugin
  resolved?: ResolvedPlugin
  /** Resolved edges, once linked. */
  edges?: Edge[]
  /** An `enhances` target is absent: not initialized (no error). */
  skipped?: string
}

const idOf = (type: string, provider: string): string => `${type}/${provider}`

function sameConfig(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string | undefined {
  const x = a ?? {}
  const y = b ?? {}
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) return key
  }
  return undefined
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

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
  readonly #timeoutMs: number
  readonly #concurrency: number
  readonly #shared: PluginContext
  readonly #decorate: PluginManagerOptions['decorate']
  readonly #metadata = new Map<string, DependencySpec[]>()
  readonly #nodes = new Map<string, Node>()
  readonly #events = new ManagerEvents()

  constructor(options: PluginManagerOptions) {
    this.#resolver = options.resolver
    this.#logger = options.logger ?? createLogger()
    this.#timeoutMs = options.initTimeoutMs ?? 30_000
    this.#concurrency = options.concurrency ?? Infinity
    this.#shared = options.context ?? {}
    this.#decorate = options.decorate
  }

  /** Declares dependencies of `type/provider` (added to those of its manifest and class). */
  registerPluginMetadata(type: string, provider: string, metadata: PluginMetadataInput): void {
    this.#metadata.set(idOf(type, provider), [...(metadata.dependencies ?? [])])
    const node = this.#nodes.get(idOf(type, provider))
    if (node) delete node.edges
  }

  /** Subscribes to lifecycle events; returns a function that unsubscribes. */
  on(event: ManagerEventName, listener: ManagerListener): () => void {
    return this.#events.on(event, listener)
  }

  /**
   * The instance for `type/provider`, created on first call (not initialized). Idempotent and
   * single-flight: concurrent calls share one creation.
   * @throws ConfigError when called with a config that differs from the live instance's
   */
  createInstance(type: string, provider: string, config?: Record<string, unknown>): Promise<PepperpyPlugin> {
    const key = idOf(type, provider)
    const existing = this.#nodes.get(key)
    if (existing) {
      const differs = config === undefined ? undefined : sameConfig(existing.config, config)
      if (differs !== undefined) {
        return Promise.reject(
          new ConfigError(key, [{ key: differs, message: `differs from the live instance's config; clean it up first, or use createProviderInstance for a separate instance` }]),
        )
      }
      return existing.creating
    }
    const node: Node = { key, type, provider, config, creating: undefined as never }
    node.creating = this.#create(node)
    this.#nodes.set(key, node)
    node.creating.catch(() => {
      if (this.#nodes.get(key) === node) this.#nodes.delete(key)
    })
    return node.creating
  }

  async #create(node: Node): Promise<PepperpyPlugin> {
    const t0 = performance.now()
    const resolved = await this.#resolver.resolve(node.type, node.provider, node.config)
    const context: PluginContext = { ...this.#shared, getDependency: (t, p) => this.#dependencyOf(node, t, p) }
    const plugin = instantiatePlugin(resolved.PluginClass, {
      type: resolved.type,
      provider: resolved.provider,
      config: resolved.config,
      sources: resolved.sources,
      logger: this.#logger,
      context,
      ...(resolved.finalizeConfig ? { finalizeConfig: resolved.finalizeConfig } : {}),
    })
    node.resolved = resolved
    node.instance = this.#decorate ? this.#decorate(plugin, resolved) : plugin
    this.#emit('created', { pluginId: node.key, durationMs: performance.now() - t0 })
    return node.instance
  }

  #dependencyOf(node: Node, type: string, provider?: string): PepperpyPlugin | undefined {
    for (const edge of node.edges ?? []) {
      const target = this.#nodes.get(edge.to)
      if (!target?.instance || target.type !== type) continue
      if (provider === undefined || target.provider === provider || target.instance.provider === provider) return target.instance
    }
    return provider === undefined ? undefined : this.getInstance(type, provider)
  }

  /** The live instance of `type/provider`, if the manager holds one. */
  getInstance(type: string, provider: string): PepperpyPlugin | undefined {
    return this.#nodes.get(idOf(type, provider))?.instance
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
   */
  async loadDependencies(type: string, provider: string): Promise<PepperpyPlugin[]> {
    const root = idOf(type, provider)
    await this.createInstance(type, provider)
    const closure = await this.#link([root])
    closure.delete(root)
    await this.#initializeSet([...closure], this.#nodes.get(root)!)
    return this.#direct(this.#nodes.get(root)?.edges ?? [])
  }

  /**
   * Creates and initializes what a plugin made elsewhere needs (an instance from
   * `createProviderInstance`, which the manager does not hold) and returns its direct dependencies.
   * @throws DependencyError when a required or runtime dependency is missing or fails
   */
  async loadDependenciesOf(plugin: PepperpyPlugin, dependencies: readonly DependencySpec[]): Promise<PepperpyPlugin[]> {
    const outside: Node = {
      key: plugin.pluginId,
      type: plugin.pluginType,
      provider: plugin.provider,
      config: undefined,
      creating: Promise.resolve(plugin),
    }
    outside.edges = await this.#edgesOf(outside, [...dependencies], (k) => [k])
    const closure = await this.#link(outside.edges.map((e) => e.to))
    await this.#initializeSet([...closure], outside)
    return this.#direct(outside.edges)
  }

  #direct(edges: readonly Edge[]): PepperpyPlugin[] {
    const direct: PepperpyPlugin[] = []
    for (const edge of edges) {
      const target = this.#nodes.get(edge.to)
      if (target?.instance && !target.skipped) direct.push(target.instance)
    }
    return direct
  }

  /** Initializes every instance the manager holds (and what they need), dependencies first, concurrently where independent. */
  async initialize(): Promise<void> {
    const all = await this.#link([...this.#nodes.keys()])
    await this.#initializeSet([...all], undefined)
  }

  /** Cleans up every instance, dependents first; attempts all and reports every failure together. Idempotent. */
  async cleanup(): Promise<void> {
    const ids = [...this.#nodes.keys()].filter((id) => this.#nodes.get(id)?.instance)
    const dependentsOf = new Map<string, string[]>()
    for (const id of ids) {
      for (const edge of this.#nodes.get(id)?.edges ?? []) {
        if (!isOrderingEdge(edge.type)) continue
        const list = dependentsOf.get(edge.to)
        if (list) list.push(id)
        else dependentsOf.set(edge.to, [id])
      }
    }
    const errors: Array<{ id: string; error: unknown }> = []
    await runGraph(
      ids.map((id) => ({ id, after: dependentsOf.get(id) ?? [] })),
      async (id) => {
        const instance = this.#nodes.get(id)?.instance
        if (!instance) return
        const was = instance.initialized
        const t0 = performance.now()
        try {
          await instance.cleanup()
          if (was) this.#emit('cleaned', { pluginId: id, durationMs: performance.now() - t0 })
        } catch (error) {
          errors.push({ id, error })
          this.#emit('cleaned', { pluginId: id, durationMs: performance.now() - t0, error: error as Error })
        }
      },
    )
    if (errors.length > 0) {
      throw new AggregateError(
        errors.map((e) => e.error),
        `cleanup failed for ${errors.length} plugin(s): ${errors.map((e) => `${e.id}: ${message(e.error)}`).join('; ')}`,
      )
    }
  }

  /** Every held plugin, dependencies before dependents. */
  getInitializationOrder(): string[] {
    return this.#order([...this.#nodes.keys()])
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
      for (const e of node.edges ?? []) edges.push({ from: node.key, to: e.to, dependencyType: e.type })
    }
    return { nodes, edges }
  }

  #order(ids: string[]): string[] {
    return topologicalOrder(
      ids,
      (id) => (this.#nodes.get(id)?.edges ?? []).filter((e) => isOrderingEdge(e.type)).map((e) => e.to),
      (cycle) => {
        const files = cycle.slice(0, -1).flatMap((id) => {
          const path = this.#nodes.get(id)?.resolved?.info.manifestPath
          return path ? [`${id} in ${path}`] : []
        })
        return files.length ? `declared by ${files.join(', ')}` : undefined
      },
    )
  }

  /** Creates the dependency closure of `roots`, resolving each spec to a node; returns every id reached. */
  async #link(roots: string[]): Promise<Set<string>> {
    const seen = new Set<string>()
    const queue = [...roots]
    const parent = new Map<string, string>()
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i]!
      if (seen.has(key)) continue
      seen.add(key)
      const node = this.#nodes.get(key)
      if (!node) continue
      await node.creating
      if (!node.edges) node.edges = await this.#edgesOf(node, this.#specsOf(node), (k) => this.#chain(parent, k))
      for (const edge of node.edges) {
        if (!seen.has(edge.to)) {
          if (!parent.has(edge.to)) parent.set(edge.to, key)
          queue.push(edge.to)
        }
      }
    }
    return seen
  }

  #chain(parent: Map<string, string>, key: string): string[] {
    const chain = [key]
    for (let p = parent.get(key); p !== undefined && !chain.includes(p); p = parent.get(p)) chain.unshift(p)
    return chain
  }

  #specsOf(node: Node): DependencySpec[] {
    const specs = [...(node.resolved?.dependencies ?? []), ...(this.#metadata.get(node.key) ?? [])]
    const realId = node.instance ? node.instance.pluginId : node.key
    if (realId !== node.key) specs.push(...(this.#metadata.get(realId) ?? []))
    return specs
  }

  async #edgesOf(node: Node, specs: DependencySpec[], chainTo: (key: string) => string[]): Promise<Edge[]> {
    const edges: Edge[] = []
    delete node.skipped
    for (const spec of specs) {
      const kind = spec.dependencyType ?? 'required'
      const provider = spec.provider ?? this.#providerOf(spec.type)
      const target = idOf(spec.type, provider)
      if (edges.some((e) => e.to === target)) continue
      if (kind === 'enhances') {
        if (this.#nodes.has(target)) edges.push({ to: target, type: kind })
        else node.skipped = target
        continue
      }
      if (kind === 'optional' && !this.#nodes.has(target) && !this.#resolver.has(spec.type, provider)) {
        this.#logger.warn(`optional dependency ${target} of ${node.key} is not available; continuing without it`)
        continue
      }
      try {
        const instance = await this.createInstance(spec.type, provider)
        this.#checkVersion(node.key, spec, this.#nodes.get(target)?.resolved?.info.version)
        void instance
        edges.push({ to: target, type: kind })
      } catch (error) {
        if (kind === 'optional') {
          this.#logger.warn(`optional dependency ${target} of ${node.key} failed to load (${message(error)}); continuing without it`)
          continue
        }
        const chain = [...chainTo(node.key), target]
        throw new DependencyError(`${chain.join(' -> ')}: ${message(error)}`, { cause: error, chain, pluginId: node.key })
      }
    }
    return edges
  }

  #providerOf(type: string): string {
    for (const node of this.#nodes.values()) if (node.type === type) return node.provider
    return 'auto'
  }

  #checkVersion(from: string, spec: DependencySpec, version: string | undefined): void {
    if (!spec.version) return
    const target = idOf(spec.type, spec.provider ?? '?')
    if (!version) {
      this.#logger.warn(`${from} wants ${target} ${spec.version}, but ${target} declares no version`)
      return
    }
    if (!this.#resolver.satisfies) {
      this.#logger.warn(`${from} wants ${target} ${spec.version}; the resolver cannot check semver ranges`)
      return
    }
    if (!this.#resolver.satisfies(version, spec.version)) {
      throw new PepperpyError(`${target} is version ${version}, but ${from} requires ${spec.version}; install a compatible version`, { pluginId: from })
    }
  }

  /** Initializes `ids` (skipping initialized and skipped ones) in graph order; rolls back on failure. */
  async #initializeSet(ids: string[], root: Node | undefined): Promise<void> {
    const order = this.#order(ids)
    const pending = order.filter((id) => {
      const node = this.#nodes.get(id)
      return node?.instance && !node.instance.initialized && !node.skipped
    })
    if (pending.length === 0) return
    const inSet = new Set(pending)
    const tasks = pending.map((id) => ({
      id,
      after: (this.#nodes.get(id)?.edges ?? []).filter((e) => isOrderingEdge(e.type) && inSet.has(e.to)).map((e) => e.to),
    }))
    const result = await runGraph(
      tasks,
      async (id) => {
        const instance = this.#nodes.get(id)!.instance!
        const t0 = performance.now()
        try {
          await initializeWithTimeout(instance, id, this.#timeoutMs)
        } catch (error) {
          this.#emit('failed', { pluginId: id, durationMs: performance.now() - t0, error: error as Error })
          throw error
        }
        this.#emit('initialized', { pluginId: id, durationMs: performance.now() - t0 })
      },
      this.#concurrency,
    )
    if (!result.failed) return
    for (const id of [...result.completed].reverse()) {
      try {
        await this.#nodes.get(id)?.instance?.cleanup()
      } catch (error) {
        this.#logger.error(`rollback: cleanup of ${id} failed`, error)
      }
    }
    const { id, error } = result.failed
    const chain = this.#dependentChain(id, inSet, root)
    if (chain.length > 1) {
      throw new DependencyError(`${chain.join(' -> ')}: ${message(error)}`, { cause: error, chain, pluginId: chain[0]! })
    }
    if (PepperpyError.is(error)) throw error
    throw new PluginInitError(`${id}: initialize() failed: ${message(error)}`, { cause: error, pluginId: id })
  }

  /** A path from a plugin that (transitively) needed `failed` down to it. */
  #dependentChain(failed: string, set: Set<string>, root: Node | undefined): string[] {
    const dependents = new Map<string, string>()
    for (const id of set) {
      for (const e of this.#nodes.get(id)?.edges ?? []) if (!dependents.has(e.to) && e.to !== id) dependents.set(e.to, id)
    }
    for (const e of root?.edges ?? []) if (!dependents.has(e.to) && e.to !== root!.key) dependents.set(e.to, root!.key)
    const chain = [failed]
    for (let d = dependents.get(failed); d !== undefined && !chain.includes(d); d = dependents.get(d)) chain.unshift(d)
    return chain
  }

  #emit(name: ManagerEventName, event: Parameters<ManagerListener>[0]): void {
    for (const error of this.#events.emit(name, event)) this.#logger.error(`a '${name}' listener threw`, error)
  }
}
