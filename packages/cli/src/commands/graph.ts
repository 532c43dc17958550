import { describeError, graphToDot, graphToMermaid } from '@pepperpy/plugins'
import type { GlobalOptions } from '../context.js'
import { systemFor } from '../context.js'
import { styles, type CliIO } from '../output.js'
import { readHealthSnapshot, withHealth } from './health-snapshot.js'

/** Output formats of `pepperpy graph`. */
export type GraphFormat = 'mermaid' | 'dot' | 'json'

/**
 * `pepperpy graph [--format mermaid|dot|json] [--health file.json]`: the dependency graph of every
 * known plugin; with a health snapshot (the JSON of `manager.health()`), failed and skipped plugins are marked.
 */
export async function graphCommand(io: CliIO, options: GlobalOptions & { format: string; health?: string | undefined }): Promise<number> {
  if (!['mermaid', 'dot', 'json'].includes(options.format)) {
    io.err(styles(io).red(`unknown format "${options.format}"; use mermaid, dot or json`))
    return 2
  }
  const system = systemFor(io, options)
  await system.discoverPlugins()
  let graph = system.graph()
  if (options.health !== undefined) {
    let snapshot: ReturnType<typeof readHealthSnapshot>
    try {
      snapshot = readHealthSnapshot(options.health)
    } catch (error) {
      io.err(styles(io).red(describeError(error)))
      return 2
    }
    const marked = withHealth(graph, snapshot)
    graph = marked.graph
    if (marked.unknown.length > 0) io.err(`not in the graph (ignored): ${marked.unknown.join(', ')}`)
  }
  io.out(options.format === 'json' ? JSON.stringify(graph, null, 2) : options.format === 'dot' ? graphToDot(graph) : graphToMermaid(graph))
  return 0
}
