import type { DependencyGraph, GraphEdge, GraphNode } from '@pepperpy/plugin'

/** @deprecated use `GraphNode` from `@pepperpy/plugin` */
export type GraphNodeView = GraphNode
/** @deprecated use `GraphEdge` from `@pepperpy/plugin` */
export type GraphEdgeView = GraphEdge
/** @deprecated use `DependencyGraph` from `@pepperpy/plugin` */
export type GraphView = DependencyGraph

const mermaidId = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_')

/** The graph as a mermaid `flowchart` (dependent --> dependency; optional/runtime/enhances edges labelled). */
export function graphToMermaid(graph: DependencyGraph): string {
  const lines = ['flowchart LR']
  for (const n of graph.nodes) lines.push(`  ${mermaidId(n.id)}["${n.id}"]`)
  for (const e of graph.edges) {
    const kind = e.dependencyType ?? 'required'
    const arrow = kind === 'required' ? '-->' : `-.->|${kind}|`
    lines.push(`  ${mermaidId(e.from)} ${arrow} ${mermaidId(e.to)}`)
  }
  return lines.join('\n')
}

/** The graph in Graphviz dot (dependent -> dependency; non-required edges dashed and labelled). */
export function graphToDot(graph: DependencyGraph): string {
  const lines = ['digraph pepperpy {', '  rankdir=LR;']
  for (const n of graph.nodes) lines.push(`  "${n.id}";`)
  for (const e of graph.edges) {
    const kind = e.dependencyType ?? 'required'
    lines.push(`  "${e.from}" -> "${e.to}"${kind === 'required' ? '' : ` [style=dashed, label="${kind}"]`};`)
  }
  lines.push('}')
  return lines.join('\n')
}
