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
  const WHITE = 0
  const GREY = 1
  const BLACK = 2
  const colour = new Map<string, number>()
  const order: string[] = []
  const known = new Set(ids)
  for (const root of ids) {
    if ((colour.get(root) ?? WHITE) !== WHITE) continue
    const stack: Array<{ id: string; next: number; deps: readonly string[] }> = [{ id: root, next: 0, deps: edgesOf(root) }]
    colour.set(root, GREY)
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++]!
        if (!known.has(dep)) continue
        const c = colour.get(dep) ?? WHITE
        if (c === GREY) {
          const start = stack.findIndex((f) => f.id === dep)
          const cycle = [...stack.slice(start).map((f) => f.id), dep]
          const detail = describe?.(cycle)
          throw new CircularDependencyError(cycle, detail ? { detail } : {})
        }
        if (c === WHITE) {
          colour.set(dep, GREY)
          stack.push({ id: dep, next: 0, deps: edgesOf(dep) })
        }
      } else {
        colour.set(frame.id, BLACK)
        order.push(frame.id)
        stack.pop()
      }
    }
  }
  return order
}
