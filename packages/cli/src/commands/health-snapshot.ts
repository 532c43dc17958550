import { readFileSync } from 'node:fs'
import type { GraphView } from '@pepperpy/plugins'

/** One plugin of a health snapshot (what `manager.health()` returns, saved as JSON). */
export interface SnapshotPlugin {
  id: string
  state: string
  error?: string
}

const STATES = ['pending', 'initializing', 'initialized', 'failed', 'skipped', 'cleaned']

/**
 * Reads a health snapshot: the JSON of `manager.health()` (`{ status, plugins: [{ id, state, error? }] }`).
 * @throws Error naming the file and what is wrong with it
 */
export function readHealthSnapshot(file: string): SnapshotPlugin[] {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`cannot read the health snapshot ${file}: ${(error as Error).message}`)
  }
  const plugins = (data as { plugins?: unknown } | null)?.plugins
  const expected = 'expected the JSON of manager.health(): { "status": "ok" | "degraded", "plugins": [{ "id", "state", "error"? }] }'
  if (!Array.isArray(plugins)) throw new Error(`${file} is not a health snapshot: no "plugins" list; ${expected}`)
  return plugins.map((p: unknown, i): SnapshotPlugin => {
    const { id, state, error } = (p ?? {}) as Record<string, unknown>
    if (typeof id !== 'string' || typeof state !== 'string' || !STATES.includes(state))
      throw new Error(`${file}: plugins[${i}] needs an "id" and a "state" (one of ${STATES.join(', ')}); ${expected}`)
    return typeof error === 'string' ? { id, state, error } : { id, state }
  })
}

/** `graph` with each node's state and error from `snapshot`; ids the graph lacks are returned apart. */
export function withHealth(graph: GraphView, snapshot: readonly SnapshotPlugin[]): { graph: GraphView; unknown: string[] } {
  const byId = new Map(snapshot.map((p) => [p.id, p]))
  const nodes = graph.nodes.map((n) => {
    const p = byId.get(n.id)
    if (!p) return n
    return { ...n, state: p.state, ...(p.error === undefined ? {} : { error: p.error }) }
  })
  const known = new Set(graph.nodes.map((n) => n.id))
  return { graph: { nodes, edges: graph.edges }, unknown: snapshot.map((p) => p.id).filter((id) => !known.has(id)) }
}
