import { PluginNotFoundError } from '@pepperpy/plugin'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { followAliases, type AliasTarget } from './aliases.js'

describe('followAliases', () => {
  it('returns the end of the chain and the config layers outermost first', () => {
    const aliases = new Map<string, AliasTarget>([
      ['llm/hot', { provider: 'gpt4', config: { temperature: 0.9 } }],
      ['llm/gpt4', { provider: 'openai', config: { model: 'gpt-4', temperature: 0.1 } }],
    ])
    expect(followAliases(aliases, 'llm', 'hot')).toEqual({
      provider: 'openai',
      layers: [{ temperature: 0.9 }, { model: 'gpt-4', temperature: 0.1 }],
      chain: ['hot', 'gpt4', 'openai'],
    })
    expect(followAliases(aliases, 'embeddings', 'hot')).toEqual({ provider: 'hot', layers: [], chain: ['hot'] })
  })

  it('agrees with a step-bounded reference walk on random alias graphs (property)', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'real')
    fc.assert(
      fc.property(fc.dictionary(name, name, { maxKeys: 6 }), name, (edges, start) => {
        const aliases = new Map(Object.entries(edges).map(([from, to]) => [`t/${from}`, { provider: to, config: { via: from } }]))
        // reference: walk at most n+1 steps; a loop is a revisit
        const seen = [start]
        let current = start
        let loop = false
        while (edges[current] !== undefined && Object.hasOwn(edges, current)) {
          current = edges[current]!
          if (seen.includes(current)) {
            loop = true
            break
          }
          seen.push(current)
        }
        if (loop) {
          expect(() => followAliases(aliases, 't', start)).toThrow(PluginNotFoundError)
          try {
            followAliases(aliases, 't', start)
          } catch (error) {
            expect((error as PluginNotFoundError).tried[0]?.reason).toBe(
              `alias loop ${[...seen, current].map((p) => `t/${p}`).join(' -> ')}`,
            )
          }
        } else {
          const r = followAliases(aliases, 't', start)
          expect(r.provider).toBe(current)
          expect(r.chain).toEqual(seen)
          expect(r.layers).toEqual(seen.slice(0, -1).map((via) => ({ via })))
          expect(aliases.has(`t/${r.provider}`)).toBe(false)
        }
      }),
      { numRuns: 1000 },
    )
  })
})
