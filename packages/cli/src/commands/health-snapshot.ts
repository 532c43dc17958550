import { readFileSync } from 'node:fs'
import { type DependencyGraph, describeError, type PluginState } from '@pepperpy/plugins'

/** One plugin of a health snapshot (what `manager.health()` returns, saved as JSON). */
export interface SnapshotPlugin {
  id: string
  state: PluginState
  error?: string
}

const STATES: readonly PluginState[] = ['pending', 'initializing', 'initialized', 'failed', 'skipped', 'cleaned']
const isState = (s: unknown): s is PluginState => (STATES as readonly unknown[]).includes(s)

/**
 * Reads a health snapshot: the JSON of `manager.health()` (`{ status, plugins: [{ id, state, error? }] }`).
 * @throws Error naming the file and what is wrong with it
 */
export function readHealthSnapshot(file: string): SnapshotPlugin[] {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`cannot read the health snapshot ${file}: ${describeError(error)}`)
  }
  const plugins = (data as { plugins?: unknown } | null)?.plugins
  const expected = 'expected the JSON of manager.health(): { "status": "ok" | "degraded", "plugins": [{ "id", "state", "error"? }] }'
  if (!Array.isArray(plugins)) throw new Error(`${file} is not a health snapshot: no "plugins" list; ${expected}`)
  return plugins.map((p: unknown, i): SnapshotPlugin => {
    const { id, state, error } = (p ?? {}) as Record<string, unknown>
    if (typeof id !== 'string' || !isState(state))
      throw new Error(`${file}: plugins[${i}] needs an "id" and a "state" (one of ${STATES.join(', ')}); ${expected}`)
    return typeof error === 'string' ? { id, state, error } : { id, state }
  })
}

/** `graph` with each node's state and error from `snapshot`; ids the graph lacks are returned apart. */
export function withHealth(graph: DependencyGraph, snapshot: readonly SnapshotPlugin[]): { graph: DependencyGraph; unknown: string[] } {
  const byId = new Map(snapshot.map((p) => [p.id, p]))
  const nodes = graph.nodes.map((n) => {
    const p = byId.get(n.id)
    if (!p) return n
    return { ...n, state: p.state, ...(p.error === undefined ? {} : { error: p.error }) }
  })
  const known = new Set(graph.nodes.map((n) => n.id))
  return { graph: { nodes, edges: graph.edges }, unknown: snapshot.map((p) => p.id).filter((id) => !known.has(id)) }
}
