import { CircularDependencyError, type DependencyType } from '@pepperpy/plugin'

export type { DependencyGraph, GraphEdge, GraphNode } from '@pepperpy/plugin'

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
  const index = new Map<string, number>()
  for (let i = 0; i < ids.length; i++) if (!index.has(ids[i]!)) index.set(ids[i]!, i)
  const first = index.size === ids.length ? ids : [...index.keys()] // a repeated id is ordered once
  if (first !== ids) for (let i = 0; i < first.length; i++) index.set(first[i]!, i)
  const n = first.length
  const offsets = new Int32Array(n + 1)
  const targets: number[] = []
  for (let i = 0; i < n; i++) {
    for (const d of edgesOf(first[i]!)) {
      const j = index.get(d)
      if (j !== undefined) targets.push(j)
    }
    offsets[i + 1] = targets.length
  }
  const slots = orderSlots(n, offsets, targets, (cycle) =>
    cycleError(
      cycle.map((i) => first[i]!),
      describe,
    ),
  )
  const order = new Array<string>(n)
  for (let k = 0; k < n; k++) order[k] = first[slots[k]!]!
  return order
}

/** The error for a cycle given as ids in path order, the first repeated at the end. */
export function cycleError(cycle: string[], describe?: (cycle: string[]) => string | undefined): CircularDependencyError {
  const detail = describe?.(cycle)
  return new CircularDependencyError(cycle, detail ? { detail } : {})
}

/**
 * The order of slots `0..n-1` (dependencies first) by iterative DFS, ties in slot order. Slot `i`
 * depends on `targets[offsets[i]]` .. `targets[offsets[i + 1] - 1]` (compressed rows). Integer
 * slots, typed arrays and an explicit stack: no per-node objects, so large graphs stay cheap.
 * @throws the error `cycleError` makes from the cycle's slots (path order, the first repeated at the end)
 */
export function orderSlots(n: number, offsets: Int32Array, targets: ArrayLike<number>, cycleError: (cycle: number[]) => Error): Int32Array {
  const WHITE = 0
  const GREY = 1
  const BLACK = 2
  const colour = new Uint8Array(n)
  const stackNode = new Int32Array(n)
  const stackNext = new Int32Array(n) // the position in `targets` of the next dependency to visit
  const order = new Int32Array(n)
  let done = 0
  for (let root = 0; root < n; root++) {
    if (colour[root] !== WHITE) continue
    stackNode[0] = root
    stackNext[0] = offsets[root]!
    colour[root] = GREY
    let sp = 1
    while (sp > 0) {
      const top = sp - 1
      const node = stackNode[top]!
      if (stackNext[top]! < offsets[node + 1]!) {
        const j = targets[stackNext[top]!++]!
        if (colour[j] === WHITE) {
          colour[j] = GREY
          stackNode[sp] = j
          stackNext[sp] = offsets[j]!
          sp++
        } else if (colour[j] === GREY) {
          let start = 0
          while (stackNode[start] !== j) start++
          const cycle: number[] = []
          for (let k = start; k < sp; k++) cycle.push(stackNode[k]!)
          cycle.push(j)
          throw cycleError(cycle)
        }
      } else {
        colour[node] = BLACK
        order[done++] = node
        sp--
      }
    }
  }
  return order
}
