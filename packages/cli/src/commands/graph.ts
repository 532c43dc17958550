import { graphToDot, graphToMermaid } from '@pepperpy/plugins'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, type CliIO } from '../output.js'

/** Output formats of `pepperpy graph`. */
export type GraphFormat = 'mermaid' | 'dot' | 'json'

/** `pepperpy graph [--format mermaid|dot|json]`: the dependency graph of every known plugin. */
export async function graphCommand(io: CliIO, options: GlobalOptions & { format: string }): Promise<number> {
  if (!['mermaid', 'dot', 'json'].includes(options.format)) {
    io.err(styles(io).red(`unknown format "${options.format}"; use mermaid, dot or json`))
    return 2
  }
  const system = systemFor(io, options)
  await system.discoverPlugins()
  const graph = system.graph()
  io.out(options.format === 'json' ? JSON.stringify(graph, null, 2) : options.format === 'dot' ? graphToDot(graph) : graphToMermaid(graph))
  return 0
}
