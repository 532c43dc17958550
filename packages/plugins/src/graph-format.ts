/** A node of the dependency graph as the manager reports it. */
export interface GraphNodeView {
  id: string
  initialized?: boolean
}

/** An edge of the dependency graph as the manager reports it. */
export interface GraphEdgeView {
  from: string
  to: string
  dependencyType?: string
}

/** Nodes and typed edges, as `manager.graph()` returns them. */
export interface GraphView {
  nodes: readonly GraphNodeView[]
  edges: readonly GraphEdgeView[]
}

const mermaidId = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_')

/** The graph as a mermaid `flowchart` (dependent --> dependency; optional/runtime/enhances edges labelled). */
export function graphToMermaid(graph: GraphView): string {
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
export function graphToDot(graph: GraphView): string {
  const lines = ['digraph pepperpy {', '  rankdir=LR;']
  for (const n of graph.nodes) lines.push(`  "${n.id}";`)
  for (const e of graph.edges) {
    const kind = e.dependencyType ?? 'required'
    lines.push(`  "${e.from}" -> "${e.to}"${kind === 'required' ? '' : ` [style=dashed, label="${kind}"]`};`)
  }
  lines.push('}')
  return lines.join('\n')
}
