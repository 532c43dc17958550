import type { Edge } from './node.js'

/**
 * A path of plugin ids from one that (transitively) needed `failed` down to `failed`, over the
 * edges of `ids` and of `root` (the plugin whose dependencies were being loaded).
 */
export function dependentChain(
  failed: string,
  ids: Iterable<string>,
  edgesOf: (id: string) => readonly Edge[],
  root?: { key: string; edges: readonly Edge[] },
): string[] {
  const dependent = new Map<string, string>()
  const note = (from: string, edges: readonly Edge[]): void => {
    for (const e of edges) if (e.to !== from && !dependent.has(e.to)) dependent.set(e.to, from)
  }
  for (const id of ids) note(id, edgesOf(id))
  if (root) note(root.key, root.edges)
  return pathTo(dependent, failed)
}

/** The path from a root of a breadth-first walk down to `key`, following `parent` links. */
export function pathTo(parent: ReadonlyMap<string, string>, key: string): string[] {
  const chain = [key]
  const seen = new Set(chain)
  for (let p = parent.get(key); p !== undefined && !seen.has(p); p = parent.get(p)) {
    chain.unshift(p)
    seen.add(p)
  }
  return chain
}
