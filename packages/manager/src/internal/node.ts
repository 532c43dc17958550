import type { DependencyType, PepperpyPlugin } from '@pepperpy/plugin'
import type { ResolvedPlugin } from '@pepperpy/plugin/spi'

/** A resolved dependency edge: the holder depends on `to`. */
export interface Edge {
  to: string
  type: DependencyType
  /** The node `to` named when the edge was made (trusted while not `removed`: saves a lookup by id). */
  node?: Node | undefined
}

/** Edges being collected for a node, and whether they depend on which plugins are held. */
export interface EdgeList {
  edges: Edge[]
  soft: boolean
}

/** What the manager keeps per requested `type/provider`. */
export interface Node {
  key: string
  type: string
  provider: string
  config: Record<string, unknown> | undefined
  creating: Promise<PepperpyPlugin>
  instance: PepperpyPlugin | undefined
  resolved: ResolvedPlugin | undefined
  /** Resolved edges, once linked. */
  edges: Edge[] | undefined
  /** The edges depend on which plugins are held (an absent optional or enhances target): relink each time. */
  soft: boolean
  /** An `enhances` target that is absent: the plugin is not initialized (no error). */
  skipped: string | undefined
  /** Set when the table forgets the node (a failed creation); edges holding it look `to` up again. */
  removed: boolean
  /** Cleanups of the instance by the manager (its `cleanup()`, a rollback) under way or queued. */
  cleaning: number
  /** Scratch of `NodeTable.order`: the pass that last numbered this node, and its number then. */
  pass: number
  slot: number
}

/**
 * A node with every field present from the start (fields added later, or deleted, would move the
 * object off V8's fast in-object layout, which graph passes over 10,000 nodes feel).
 */
export function newNode(
  key: string,
  type: string,
  provider: string,
  config: Record<string, unknown> | undefined,
  creating: Promise<PepperpyPlugin>,
): Node {
  return {
    key,
    type,
    provider,
    config,
    creating,
    instance: undefined,
    resolved: undefined,
    edges: undefined,
    soft: false,
    skipped: undefined,
    removed: false,
    cleaning: 0,
    pass: 0,
    slot: 0,
  }
}

/** The first key whose value differs between two configs (compared as JSON), or undefined. */
export function configDifference(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string | undefined {
  const x = a ?? {}
  const y = b ?? {}
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) return key
  }
  return undefined
}
