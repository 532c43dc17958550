import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatBootReport } from './boot-report.js'
import type { BootReport, BootReportPlugin } from './health.js'

const plugin = (id: string, dependencies: string[], extra: Partial<BootReportPlugin> = {}): BootReportPlugin => ({
  id,
  state: 'initialized',
  dependencies,
  ...extra,
})

describe('formatBootReport', () => {
  it('prints dependents above their dependencies, with times, failures, skips and what still runs', () => {
    const report: BootReport = {
      totalMs: 1234.5,
      plugins: [
        plugin('embeddings/openai', [], { initMs: 20.4 }),
        plugin('storage/local', [], { initMs: 3.14 }),
        plugin('db/pg', [], { state: 'failed', initMs: 5, error: 'connect ECONNREFUSED 127.0.0.1:5432' }),
        plugin('rag/chroma', ['embeddings/openai', 'storage/local'], { initMs: 12 }),
        plugin('reports/daily', ['db/pg'], { state: 'skipped', error: 'needs db/pg, which failed' }),
        plugin('search/web', ['embeddings/openai'], { state: 'initializing', initMs: 5200 }),
        plugin('cache/lru', [], { state: 'pending' }),
      ],
    }
    expect(formatBootReport(report)).toBe(
      [
        'boot 1.2 s (7 plugins, 1 failed, 1 skipped, 1 still initializing, 1 pending)',
        '├─┬ rag/chroma 12 ms',
        '│ ├── embeddings/openai 20 ms',
        '│ └── storage/local 3.1 ms',
        '├─┬ reports/daily skipped: needs db/pg, which failed',
        '│ └── db/pg FAILED after 5.0 ms: connect ECONNREFUSED 127.0.0.1:5432',
        '├─┬ search/web still initializing (5.2 s so far)',
        '│ └── embeddings/openai 20 ms (see above)',
        '└── cache/lru pending',
      ].join('\n'),
    )
  })

  it('an empty boot and a cleaned plugin', () => {
    expect(formatBootReport({ totalMs: 0, plugins: [] })).toBe('boot 0.0 ms (0 plugins)')
    expect(formatBootReport({ totalMs: 2, plugins: [plugin('a/b', [], { state: 'cleaned', initMs: 2 })] })).toBe(
      'boot 2.0 ms (1 plugin)\n└── a/b 2.0 ms (cleaned up)',
    )
  })

  it('prints every plugin of any acyclic report exactly once in full, and ends each level with └', () => {
    const reports = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: n, maxLength: n }),
        fc.array(fc.constantFrom('initialized', 'failed', 'skipped', 'initializing', 'pending', 'cleaned' as const), {
          minLength: n,
          maxLength: n,
        }),
      ),
    )
    fc.assert(
      fc.property(reports, ([n, deps, states]) => {
        // dependencies only on earlier plugins: acyclic, like the manager's graphs
        const plugins = deps.map((d, i) =>
          plugin(`t/p${i}`, i === 0 ? [] : [...new Set(d.map((x) => `t/p${x % i}`))], { state: states[i]!, initMs: i }),
        )
        const lines = formatBootReport({ totalMs: n, plugins }).split('\n')
        const full = lines.slice(1).filter((l) => !l.endsWith('(see above)'))
        expect(full).toHaveLength(n)
        for (const p of plugins) expect(full.filter((l) => l.includes(`${p.id} `) || l.endsWith(p.id)).length).toBe(1)
        const last = lines.at(-1)!
        expect(last.trimStart().startsWith('└')).toBe(true)
      }),
    )
  })
})
