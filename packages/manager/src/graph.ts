import { CircularDependencyError, type DependencyType } from '@pepperpy/plugin'

/** A typed edge: `from` depends on `to`. */
export interface GraphEdge {
  from: string
  to: string
  dependencyType: DependencyType
}

/** A node of the dependency graph. */
export interface GraphNode {
  id: string
  type: string
  provider: string
  initialized: boolean
  /** The manifest the plugin came from, when any. */
  manifestPath?: string
}

/** The dependency graph, for the CLI and for tools. */
export interface DependencyGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** True for edges that order initialization (runtime edges do not). */
export function isOrderingEdge(type: DependencyType): boolean {
  return type !== 'runtime'
}

/**
 * Topological order of `ids` (dependencies first) over ordering edges, in one O(V + E) pass
 * (iterative DFS colouring; no recursion, so 10,000-long chains are fine). Ties keep `ids` order.
 * @throws CircularDependencyError with the cycle in path order
 */
export function topologicalOrder(
  ids: readonly string[],
  edgesOf: (id: string) => readonly string[],
  describe?: (cycle: string[]) => string | undefined,
): string[] {
  // integer indices, typed-array colours and an explicit stack: no per-node objects, so large graphs
  // stay cheap for the garbage collector
  const WHITE = 0
  const GREY = 1
  const BLACK = 2
  const n = ids.length
  const index = new Map<string, number>()
  const colour = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    if (index.has(ids[i]!)) colour[i] = BLACK // a repeated id is ordered once
    else index.set(ids[i]!, i)
  }
  const stackNode = new Int32Array(n)
  const stackNext = new Int32Array(n)
  const stackDeps: Array<readonly string[]> = new Array<readonly string[]>(n)
  const order: string[] = []
  for (let root = 0; root < n; root++) {
    if (colour[root] !== WHITE) continue
    let sp = 0
    stackNode[0] = root
    stackNext[0] = 0
    stackDeps[0] = edgesOf(ids[root]!)
    colour[root] = GREY
    sp = 1
    while (sp > 0) {
      const top = sp - 1
      const deps = stackDeps[top]!
      if (stackNext[top]! < deps.length) {
        const dep = deps[stackNext[top]!++]!
        const j = index.get(dep)
        if (j === undefined) continue
        if (colour[j] === GREY) {
          let start = 0
          while (stackNode[start] !== j) start++
          const cycle: string[] = []
          for (let k = start; k < sp; k++) cycle.push(ids[stackNode[k]!]!)
          cycle.push(dep)
          const detail = describe?.(cycle)
          throw new CircularDependencyError(cycle, detail ? { detail } : {})
        }
        if (colour[j] === WHITE) {
          colour[j] = GREY
          stackNode[sp] = j
          stackNext[sp] = 0
          stackDeps[sp] = edgesOf(dep)
          sp++
        }
      } else {
        const node = stackNode[top]!
        colour[node] = BLACK
        order.push(ids[node]!)
        stackDeps[top] = []
        sp--
      }
    }
  }
  return order
}
