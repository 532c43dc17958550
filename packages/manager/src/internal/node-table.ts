import type { DependencySpec } from '@pepperpy/plugin'
import { cycleError, isOrderingEdge, orderSlots } from '../graph.js'
import type { Edge, Node } from './node.js'
import { pluginIdOf } from '@pepperpy/plugin/spi'

/** The held nodes, their declared dependencies and the synchronous graph views over them. */
export class NodeTable {
  readonly nodes: Map<string, Node> = new Map()
  /** Keys of held plugins per type, in creation order (for specs without a provider). */
  readonly #byType = new Map<string, Set<string>>()
  readonly #metadata = new Map<string, DependencySpec[]>()
  #pass = 0
  #version = 0

  /** Bumped whenever a node is added or removed or dependencies are registered (views over the table are stale then). */
  get version(): number {
    return this.#version
  }

  /** Adds a node (its creation may still be running). */
  add(node: Node): void {
    this.#version++
    this.nodes.set(node.key, node)
    let keys = this.#byType.get(node.type)
    if (!keys) this.#byType.set(node.type, (keys = new Set()))
    keys.add(node.key)
  }

  /** Forgets `node` if it is still the one held under its key. */
  remove(node: Node): void {
    if (this.nodes.get(node.key) !== node) return
    this.#version++
    node.removed = true
    this.nodes.delete(node.key)
    this.#byType.get(node.type)?.delete(node.key)
  }

  /** Replaces the registered dependencies of `id` and unlinks the nodes they concern. */
  setMetadata(id: string, dependencies: readonly DependencySpec[]): void {
    this.#version++
    this.#metadata.set(id, [...dependencies])
    for (const node of this.nodes.values()) if (node.key === id || node.instance?.pluginId === id) node.edges = undefined
  }

  /** Declared dependencies: resolved (manifest, static, registry) plus registered for the key and the real id. */
  specsOf(node: Node): readonly DependencySpec[] {
    const declared = node.resolved?.dependencies ?? []
    if (this.#metadata.size === 0) return declared // the common case: nothing registered on the manager
    const specs = [...declared, ...(this.#metadata.get(node.key) ?? [])]
    const realId = node.instance ? node.instance.pluginId : node.key
    if (realId !== node.key) specs.push(...(this.#metadata.get(realId) ?? []))
    return specs
  }

  /** The provider for a spec without one: a held instance of that type (not `self`), else `'auto'`. */
  providerOf(type: string, self: string): string {
    for (const key of this.#byType.get(type) ?? []) if (key !== self) return this.nodes.get(key)!.provider
    return 'auto'
  }

  /** The node a spec points at. */
  targetOf(spec: DependencySpec, self: string): string {
    return pluginIdOf(spec.type, spec.provider ?? this.providerOf(spec.type, self))
  }

  /** Linked edges, or (before linking) the declared ones whose targets are already held. */
  edgesNow(node: Node): readonly Edge[] {
    if (node.edges) return node.edges
    if (!node.resolved && !this.#metadata.has(node.key)) return []
    const edges: Edge[] = []
    for (const spec of this.specsOf(node)) {
      const to = this.targetOf(spec, node.key)
      const target = this.nodes.get(to)
      if (to !== node.key && target && !edges.some((e) => e.to === to))
        edges.push({ to, type: spec.dependencyType ?? 'required', node: target })
    }
    return edges
  }

  /** The held node an edge points at (its remembered node while that is still held; else by id). */
  targetNode(edge: Edge): Node | undefined {
    return edge.node && !edge.node.removed ? edge.node : this.nodes.get(edge.to)
  }

  /** Edges of a held id (none for an unknown one). */
  edgesOfId(id: string): readonly Edge[] {
    const node = this.nodes.get(id)
    return node ? this.edgesNow(node) : []
  }

  /**
   * `ids` (default: every held plugin) in initialization order over ordering edges (runtime edges
   * excluded); ids the table does not hold are left out. Nodes are numbered in place for the pass,
   * so no map of ids is built: edges are followed through the table itself.
   * @throws CircularDependencyError naming the manifests that declared the cycle's edges
   */
  order(ids?: readonly string[]): string[] {
    const pass = ++this.#pass
    const list: Node[] = []
    const number = (node: Node | undefined): void => {
      if (!node || node.pass === pass) return
      node.pass = pass
      node.slot = list.length
      list.push(node)
    }
    if (ids) for (const id of ids) number(this.nodes.get(id))
    else for (const node of this.nodes.values()) number(node)
    const n = list.length
    const offsets = new Int32Array(n + 1)
    const targets: number[] = []
    for (let i = 0; i < n; i++) {
      for (const edge of this.edgesNow(list[i]!)) {
        if (!isOrderingEdge(edge.type)) continue
        const target = this.targetNode(edge)
        if (target?.pass === pass) targets.push(target.slot)
      }
      offsets[i + 1] = targets.length
    }
    const slots = orderSlots(n, offsets, targets, (cycle) =>
      cycleError(
        cycle.map((i) => list[i]!.key),
        (keys) => this.#declaredBy(keys),
      ),
    )
    const order = new Array<string>(slots.length)
    for (let k = 0; k < slots.length; k++) order[k] = list[slots[k]!]!.key
    return order
  }

  #declaredBy(cycle: string[]): string | undefined {
    const files = cycle.slice(0, -1).flatMap((id) => {
      const path = this.nodes.get(id)?.resolved?.info.manifestPath
      return path ? [`${id} in ${path}`] : []
    })
    return files.length ? `declared by ${files.join(', ')}` : undefined
  }

  /** For each held id, the held plugins that depend on it through an ordering edge. */
  dependents(ids: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>()
    for (const id of ids) {
      for (const edge of this.edgesOfId(id)) {
        if (!isOrderingEdge(edge.type) || edge.to === id) continue
        const list = out.get(edge.to)
        if (list) list.push(id)
        else out.set(edge.to, [id])
      }
    }
    return out
  }

  /** `target` and every id of `ids` that depends on it, directly or transitively, through ordering edges. */
  reaching(ids: readonly string[], target: string): Set<string> {
    const dependents = this.dependents(ids)
    const out = new Set([target])
    const queue = [target]
    for (let i = 0; i < queue.length; i++) {
      for (const d of dependents.get(queue[i]!) ?? []) {
        if (out.has(d)) continue
        out.add(d)
        queue.push(d)
      }
    }
    return out
  }
}
