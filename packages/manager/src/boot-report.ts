import type { BootReport, BootReportPlugin } from './health.js'

/**
 * Prints a boot report as a tree, like avvio's: a plugin's dependencies beneath it, with each
 * plugin's `initialize()` time, what failed and why, what was skipped and what is still running.
 * A dependency shared by several plugins is printed in full once, then as `(see above)`. Pure.
 * @param report what `manager.bootReport()` returned
 * @returns the tree, one line per entry, no trailing newline
 * @example
 * console.log(formatBootReport(system.manager.bootReport()))
 * // boot 41 ms (3 plugins)
 * // └─┬ rag/chroma 12 ms
 * //   ├── embeddings/openai 20 ms
 * //   └── storage/local 3.1 ms
 */
export function formatBootReport(report: BootReport): string {
  const byId = new Map(report.plugins.map((p) => [p.id, p]))
  const needed = new Set<string>()
  for (const p of report.plugins) for (const d of p.dependencies) if (d !== p.id && byId.has(d)) needed.add(d)
  const lines = [`boot ${duration(report.totalMs)} (${summary(report.plugins)})`]
  const printed = new Set<string>()
  const walk = (p: BootReportPlugin, prefix: string, last: boolean): void => {
    const children = printed.has(p.id) ? [] : p.dependencies.filter((d) => d !== p.id && byId.has(d))
    const branch = last ? '└─' : '├─'
    lines.push(`${prefix}${branch}${children.length > 0 ? '┬' : '─'} ${label(p)}${printed.has(p.id) ? ' (see above)' : ''}`)
    printed.add(p.id)
    const inner = prefix + (last ? '  ' : '│ ')
    for (const [i, d] of children.entries()) walk(byId.get(d)!, inner, i === children.length - 1)
  }
  const roots = report.plugins.filter((p) => !needed.has(p.id))
  // what only a cycle reaches (the manager refuses cycles; a hand-made report may have one) goes last
  const covered = reachable(roots, byId)
  for (const p of report.plugins) {
    if (covered.has(p.id)) continue
    roots.push(p)
    for (const id of reachable([p], byId)) covered.add(id)
  }
  for (const [i, p] of roots.entries()) walk(p, '', i === roots.length - 1)
  return lines.join('\n')
}

/** The ids `from` and their dependencies (recursively) reach. */
function reachable(from: readonly BootReportPlugin[], byId: Map<string, BootReportPlugin>): Set<string> {
  const seen = new Set<string>()
  const stack = from.map((p) => p.id)
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    for (const d of byId.get(id)?.dependencies ?? []) if (byId.has(d)) stack.push(d)
  }
  return seen
}

function label(p: BootReportPlugin): string {
  const ms = p.initMs === undefined ? '' : duration(p.initMs)
  switch (p.state) {
    case 'initialized':
      return ms ? `${p.id} ${ms}` : p.id
    case 'cleaned':
      return `${p.id} ${ms ? `${ms} ` : ''}(cleaned up)`
    case 'failed':
      return `${p.id} FAILED${ms ? ` after ${ms}` : ''}: ${p.error ?? 'unknown error'}`
    case 'skipped':
      return `${p.id} skipped: ${p.error ?? 'a dependency failed'}`
    case 'initializing':
      return `${p.id} still initializing${ms ? ` (${ms} so far)` : ''}`
    case 'pending':
      return `${p.id} pending`
  }
}

function summary(plugins: readonly BootReportPlugin[]): string {
  const n = plugins.length
  const count = (state: BootReportPlugin['state']): number => plugins.filter((p) => p.state === state).length
  const parts = [`${n} plugin${n === 1 ? '' : 's'}`]
  for (const state of ['failed', 'skipped', 'initializing', 'pending'] as const) {
    const k = count(state)
    if (k > 0) parts.push(`${k} ${state === 'initializing' ? 'still initializing' : state}`)
  }
  return parts.join(', ')
}

function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`
}
