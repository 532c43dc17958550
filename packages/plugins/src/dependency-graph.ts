import type { DependencyGraph, GraphEdge, GraphNode, PluginInfo } from '@pepperpy/plugin'
import { compareText } from '@pepperpy/plugin/spi'

interface InstanceGraphSource {
  graph(): DependencyGraph
}

function manifestEdges(info: PluginInfo): GraphEdge[] {
  const from = `${info.type}/${info.provider}`
  const deps = info.manifest?.dependencies
  if (!Array.isArray(deps)) return []
  const edges: GraphEdge[] = []
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
export function dependencyGraph(plugins: readonly PluginInfo[], manager: InstanceGraphSource): DependencyGraph {
  const nodes = new Map<string, GraphNode>()
  const edges = new Map<string, GraphEdge>()
  for (const info of plugins) nodes.set(`${info.type}/${info.provider}`, nodeOf(`${info.type}/${info.provider}`))
  const add = (e: GraphEdge): void => {
    if (!nodes.has(e.to)) nodes.set(e.to, nodeOf(e.to))
    edges.set(`${e.from}\u0000${e.to}`, e)
  }
  for (const info of plugins) manifestEdges(info).forEach(add)
  const live = manager.graph()
  for (const n of live.nodes) nodes.set(n.id, n)
  live.edges.forEach(add)
  return {
    nodes: [...nodes.values()].sort((a, b) => compareText(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => compareText(`${a.from} ${a.to}`, `${b.from} ${b.to}`)),
  }
}

/** A node known only by its id (from a manifest's dependency). */
function nodeOf(id: string): GraphNode {
  const slash = id.indexOf('/')
  return slash < 0 ? { id, type: id, provider: '' } : { id, type: id.slice(0, slash), provider: id.slice(slash + 1) }
}
