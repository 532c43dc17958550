import type { DependencyGraph, GraphEdge, GraphNode } from '@pepperpy/plugin'

/** @deprecated use `GraphNode` from `@pepperpy/plugin` (one graph type for the manager, the system, the CLI and these formatters) */
export type GraphNodeView = GraphNode
/** @deprecated use `GraphEdge` from `@pepperpy/plugin` */
export type GraphEdgeView = GraphEdge
/** @deprecated use `DependencyGraph` from `@pepperpy/plugin` */
export type GraphView = DependencyGraph

const mermaidId = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_')
const MARKED = ['failed', 'skipped'] as const
const marked = (n: GraphNode): boolean => (MARKED as readonly (string | undefined)[]).includes(n.state)

/** The graph as a mermaid `flowchart` (dependent --> dependency; optional/runtime/enhances edges labelled). */
export function graphToMermaid(graph: DependencyGraph): string {
  const lines = ['flowchart LR']
  for (const n of graph.nodes) lines.push(`  ${mermaidId(n.id)}["${n.id}${marked(n) ? ` (${n.state})` : ''}"]`)
  for (const e of graph.edges) {
    const kind = e.dependencyType ?? 'required'
    const arrow = kind === 'required' ? '-->' : `-.->|${kind}|`
    lines.push(`  ${mermaidId(e.from)} ${arrow} ${mermaidId(e.to)}`)
  }
  for (const state of MARKED) {
    const ids = graph.nodes.filter((n) => n.state === state).map((n) => mermaidId(n.id))
    if (ids.length === 0) continue
    lines.push(
      `  classDef ${state} ${state === 'failed' ? 'fill:#fdd,stroke:#c00,color:#900' : 'fill:#eee,stroke:#999,stroke-dasharray:4'}`,
    )
    lines.push(`  class ${ids.join(',')} ${state}`)
  }
  return lines.join('\n')
}

/** The graph in Graphviz dot (dependent -> dependency; non-required edges dashed and labelled). */
export function graphToDot(graph: DependencyGraph): string {
  const lines = ['digraph pepperpy {', '  rankdir=LR;']
  for (const n of graph.nodes) {
    if (n.state === 'failed') lines.push(`  "${n.id}" [label="${n.id}\\n(failed)", style=filled, fillcolor="#ffdddd", color="#cc0000"];`)
    else if (n.state === 'skipped') lines.push(`  "${n.id}" [label="${n.id}\\n(skipped)", style="filled,dashed", fillcolor="#eeeeee"];`)
    else lines.push(`  "${n.id}";`)
  }
  for (const e of graph.edges) {
    const kind = e.dependencyType ?? 'required'
    lines.push(`  "${e.from}" -> "${e.to}"${kind === 'required' ? '' : ` [style=dashed, label="${kind}"]`};`)
  }
  lines.push('}')
  return lines.join('\n')
}
