import type { PluginInfo } from '@pepperpy/plugin'
import type { GraphEdgeView, GraphNodeView, GraphView } from './graph-format.js'

interface InstanceGraphSource {
  graph(): { nodes: readonly { id: string; initialized?: boolean }[]; edges: readonly GraphEdgeView[] }
}

function manifestEdges(info: PluginInfo): GraphEdgeView[] {
  const from = `${info.type}/${info.provider}`
  const deps = info.manifest?.dependencies
  if (!Array.isArray(deps)) return []
  const edges: GraphEdgeView[] = []
  for (const dep of deps) {
    if (typeof dep === 'string') {
      if (/^[\w.-]+(\/[\w.-]+)?$/.test(dep)) edges.push({ from, to: dep, dependencyType: 'required' })
    } else if (dep && typeof dep === 'object' && typeof dep.type === 'string') {
      const to = dep.provider ? `${dep.type}/${dep.provider}` : dep.type
      edges.push({ from, to, dependencyType: dep.dependency_type ?? 'required' })
    }
  }
  return edges
}

/** The dependency graph of every known plugin: manifest dependencies plus the edges of live instances. */
export function dependencyGraph(plugins: readonly PluginInfo[], manager: InstanceGraphSource): GraphView {
  const nodes = new Map<string, GraphNodeView>()
  const edges = new Map<string, GraphEdgeView>()
  for (const info of plugins) nodes.set(`${info.type}/${info.provider}`, { id: `${info.type}/${info.provider}` })
  const add = (e: GraphEdgeView): void => {
    if (!nodes.has(e.to)) nodes.set(e.to, { id: e.to })
    edges.set(`${e.from}\u0000${e.to}`, e)
  }
  for (const info of plugins) manifestEdges(info).forEach(add)
  const live = manager.graph()
  for (const n of live.nodes) nodes.set(n.id, { id: n.id, ...(n.initialized === undefined ? {} : { initialized: n.initialized }) })
  live.edges.forEach(add)
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.values()].sort((a, b) => byId({ id: `${a.from} ${a.to}` }, { id: `${b.from} ${b.to}` })),
  }
}
