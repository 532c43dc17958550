import { CircularDependencyError } from '@pepperpy/plugin'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { topologicalOrder } from './graph.js'

describe('topologicalOrder', () => {
  it('orders a 10,000-long chain without recursion', () => {
    const n = 10_000
    const ids = Array.from({ length: n }, (_, i) => `p${i}`)
    const order = topologicalOrder(ids, (id) => (id === 'p0' ? [] : [`p${Number(id.slice(1)) - 1}`]))
    expect(order[0]).toBe('p0')
    expect(order.at(-1)).toBe(`p${n - 1}`)
  })

  it('puts every dependency before its dependent, for random DAGs', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: 1, maxLength: 40 }), (raw) => {
        const ids = raw.map((_, i) => `n${i}`)
        const deps = raw.map((ds, i) => [...new Set(ds.filter((d) => d % (i + 1) < i).map((d) => `n${d % (i + 1)}`))])
        const order = topologicalOrder(ids, (id) => deps[Number(id.slice(1))]!)
        const pos = new Map(order.map((id, i) => [id, i]))
        expect(order).toHaveLength(ids.length)
        deps.forEach((ds, i) => {
          for (const d of ds) expect(pos.get(d)!).toBeLessThan(pos.get(`n${i}`)!)
        })
      }),
    )
  })

  it('orders a repeated id once', () => {
    expect(topologicalOrder(['b', 'a', 'b'], (id) => (id === 'b' ? ['a'] : []))).toEqual(['a', 'b'])
  })

  it('reports a cycle in path order and names it via describe()', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['d', 'b'], d: [] }
    try {
      topologicalOrder(
        ['a', 'b', 'c', 'd'],
        (id) => edges[id]!,
        (cycle) => `found ${cycle.length - 1}`,
      )
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(CircularDependencyError)
      expect((error as CircularDependencyError).cycle).toEqual(['b', 'c', 'b'])
      expect((error as Error).message).toBe(
        'circular dependency: b -> c -> b (found 2). Break it, or mark one edge dependency_type: runtime.',
      )
    }
  })
})
