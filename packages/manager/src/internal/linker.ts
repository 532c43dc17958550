import { DependencyError, type DependencySpec, describeError, type Logger, type PepperpyPlugin } from '@pepperpy/plugin'
import type { PluginResolver } from '@pepperpy/plugin/spi'
import { checkVersion } from './check-version.js'
import { pathTo } from './dependency-chain.js'
import type { Edge, EdgeList, Node } from './node.js'
import type { NodeTable } from './node-table.js'

/** A dependency target still being created (the spec's target is fixed when the wait starts). */
interface Loading {
  target: string
  creating: Promise<unknown>
}

/**
 * Turns the held plugins' dependency specs into edges: creates missing targets (through the
 * manager's `createInstance`), skips absent optional and enhances targets with a warning, checks
 * version ranges, and walks the closure of a set of roots. Synchronous wherever nothing has to load.
 */
export class Linker {
  readonly #table: NodeTable
  readonly #resolver: PluginResolver
  readonly #logger: Logger
  readonly #create: (type: string, provider: string) => Promise<PepperpyPlugin>
  readonly #warned = new Set<string>()

  constructor(
    table: NodeTable,
    resolver: PluginResolver,
    logger: Logger,
    create: (type: string, provider: string) => Promise<PepperpyPlugin>,
  ) {
    this.#table = table
    this.#resolver = resolver
    this.#logger = logger
    this.#create = create
  }

  /** Creates the dependency closure of `roots`, resolving each spec to a node; returns every id reached. */
  async link(roots: string[]): Promise<Set<string>> {
    const seen = new Set<string>()
    const queue = [...roots]
    const parent = new Map<string, string>()
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i]!
      if (seen.has(key)) continue
      const node = this.#table.nodes.get(key)
      if (!node) continue
      if (!node.instance) {
        try {
          await node.creating
        } catch {
          continue // its createInstance caller has the error; the manager no longer holds it
        }
      }
      seen.add(key)
      if (!node.edges || node.soft) {
        const edges = this.edgesOf(node, this.#table.specsOf(node), (k) => pathTo(parent, k))
        node.edges = Array.isArray(edges) ? edges : await edges
      }
      for (const edge of node.edges) {
        if (seen.has(edge.to)) continue
        if (!parent.has(edge.to)) parent.set(edge.to, key)
        queue.push(edge.to)
      }
    }
    return seen
  }

  /**
   * The edges of `node`'s specs, creating missing targets; synchronous unless a target has to be
   * loaded first (then the rest continues asynchronously, in spec order).
   * @throws DependencyError when a required target is missing or fails
   */
  edgesOf(node: Node, specs: readonly DependencySpec[], chainTo: (key: string) => string[]): Edge[] | Promise<Edge[]> {
    const acc: EdgeList = { edges: [], soft: false }
    node.skipped = undefined
    for (let i = 0; i < specs.length; i++) {
      const loading = this.#edgeFor(node, specs[i]!, acc, chainTo)
      if (loading) return this.#edgesAfter(node, specs, i, loading, acc, chainTo)
    }
    node.soft = acc.soft
    return acc.edges
  }

  async #edgesAfter(
    node: Node,
    specs: readonly DependencySpec[],
    from: number,
    loading: Loading,
    acc: EdgeList,
    chainTo: (key: string) => string[],
  ): Promise<Edge[]> {
    for (let i = from; i < specs.length; i++) {
      const pending = i === from ? loading : this.#edgeFor(node, specs[i]!, acc, chainTo)
      if (!pending) continue
      try {
        await pending.creating
      } catch (error) {
        this.#edgeFailed(node, specs[i]!, pending.target, error, acc, chainTo)
        continue
      }
      this.#linkHeld(node, specs[i]!, pending.target, acc, chainTo)
    }
    node.soft = acc.soft
    return acc.edges
  }

  /** Adds the edge of one spec to `acc`, or returns the creation of its target to wait for. */
  #edgeFor(node: Node, spec: DependencySpec, acc: EdgeList, chainTo: (key: string) => string[]): Loading | undefined {
    const kind = spec.dependencyType ?? 'required'
    const target = this.#table.targetOf(spec, node.key)
    if (target === node.key || acc.edges.some((e) => e.to === target)) return undefined
    if (kind === 'enhances') {
      const held = this.#table.nodes.get(target)
      if (held) acc.edges.push({ to: target, type: kind, node: held })
      else {
        node.skipped = target
        acc.soft = true
      }
      return undefined
    }
    const provider = target.slice(spec.type.length + 1)
    if (kind === 'optional' && !this.#table.nodes.has(target) && !this.#resolver.has(spec.type, provider)) {
      this.#warnOnce(`${node.key}>${target}`, `optional dependency ${target} of ${node.key} is not available; continuing without it`)
      acc.soft = true
      return undefined
    }
    if (!this.#table.nodes.get(target)?.instance) {
      const creating = this.#create(spec.type, provider)
      if (!this.#table.nodes.get(target)?.instance) return { target, creating } // loading, or failed: the caller awaits it
    }
    this.#linkHeld(node, spec, target, acc, chainTo)
    return undefined
  }

  /** Adds the edge to a held target after checking its version. */
  #linkHeld(node: Node, spec: DependencySpec, target: string, acc: EdgeList, chainTo: (key: string) => string[]): void {
    const held = this.#table.nodes.get(target)
    try {
      checkVersion(node.key, target, spec.version, held?.resolved?.info.version, this.#resolver, this.#logger)
    } catch (error) {
      return this.#edgeFailed(node, spec, target, error, acc, chainTo)
    }
    acc.edges.push({ to: target, type: spec.dependencyType ?? 'required', node: held })
  }

  /** An optional target that failed is skipped with a warning; a required one throws. */
  #edgeFailed(node: Node, spec: DependencySpec, target: string, error: unknown, acc: EdgeList, chainTo: (key: string) => string[]): void {
    if (spec.dependencyType === 'optional') {
      this.#warnOnce(
        `${node.key}>${target}`,
        `optional dependency ${target} of ${node.key} failed to load (${describeError(error)}); continuing without it`,
      )
      acc.soft = true
      return
    }
    const chain = [...chainTo(node.key), target]
    throw new DependencyError(`${chain.join(' -> ')}: ${describeError(error)}`, { cause: error, chain, pluginId: node.key })
  }

  #warnOnce(key: string, text: string): void {
    if (this.#warned.has(key)) return
    this.#warned.add(key)
    this.#logger.warn(text)
  }
}
