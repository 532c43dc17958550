import { lifecycleState } from '@pepperpy/plugin/spi'
import type { Node } from './node.js'
import type { NodeTable } from './node-table.js'

/**
 * Whether a held plugin is *ready*: a dependent may start on it. It is initialized and no cleanup by
 * the manager is under way or queued for it (a cleanup queued behind a running step leaves the
 * plugin's own state `initialized` for a while: only the manager knows it is going down).
 */
export function isReady(node: Node): boolean {
  return node.instance !== undefined && node.cleaning === 0 && lifecycleState(node.instance) === 'initialized'
}

/**
 * Whether a held plugin is *up*: a dependency under it must not be cleaned. Its initialize() is
 * running (it uses its dependencies, even when a cleanup is queued behind it), or it is initialized
 * and not going down.
 */
function isUp(node: Node): boolean {
  if (node.instance === undefined) return false
  const state = lifecycleState(node.instance)
  return state === 'initializing' || (state === 'initialized' && node.cleaning === 0)
}

/** Runs the plugin's `cleanup()` for the manager (`cleanup()`, a rollback), marking the node as going down meanwhile. */
export async function cleanNode(node: Node, cleanup: () => Promise<void>): Promise<void> {
  node.cleaning++
  try {
    await cleanup()
  } finally {
    node.cleaning--
  }
}

/**
 * A check for the manager's cleanups: which held plugin that is up depends on `id` through an
 * ordering edge (among those `counts` accepts), if any. A dependency is not cleaned under such a
 * dependent (one that a later call brought up again). The reverse edges are computed once, and
 * again only when the table changed.
 */
export function upDependentOf(table: NodeTable): (id: string, counts: (dependent: string) => boolean) => string | undefined {
  let version = -1
  let dependents = new Map<string, string[]>()
  return (id, counts) => {
    if (version !== table.version) {
      version = table.version
      dependents = table.dependents([...table.nodes.keys()])
    }
    for (const d of dependents.get(id) ?? []) {
      const node = counts(d) ? table.nodes.get(d) : undefined
      if (node && isUp(node)) return d
    }
    return undefined
  }
}
